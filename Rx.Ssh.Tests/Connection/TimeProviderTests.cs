using Microsoft.Extensions.Time.Testing;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Connection;

/// <summary>
/// Issue 16, item 3: a <see cref="TimeProvider"/> is accepted wherever a scheduler is, and is then
/// the connection's one clock: the login grace and channel timeouts run on a
/// <see cref="FakeTimeProvider"/> and fire only when it is advanced.
/// </summary>
public sealed class TimeProviderTests
{
    [Fact]
    public async Task The_login_grace_runs_on_the_time_provider()
    {
        var time = new FakeTimeProvider();
        SshServerOptions options = InMemoryServer.DefaultServerOptions() with { TimeProvider = time, LoginGraceTime = TimeSpan.FromSeconds(30) };
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(options);
        await using (client)
        {
            await client.RequestUserAuthAsync();
            Task<SshConnectionException> disconnect = client.ExpectDisconnectAsync(TestTimeout.Long);

            time.Advance(TimeSpan.FromSeconds(29));
            Assert.False(server.IsCompleted);
            Assert.False(disconnect.IsCompleted);

            time.Advance(TimeSpan.FromSeconds(1));
            SshConnectionException error = await Assert.ThrowsAnyAsync<SshConnectionException>(() => server.WaitAsync(TestTimeout.Default));
            Assert.Contains("grace", error.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("grace", (await disconnect.WaitAsync(TestTimeout.Default)).Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Periodic_work_channel_timeouts_runs_on_the_time_provider()
    {
        var time = new FakeTimeProvider();
        SshServerOptions options = InMemoryServer.DefaultServerOptions(p => Task.Delay(Timeout.Infinite, p.Closed)) with
        {
            TimeProvider = time,
            ChannelTimeouts = new Dictionary<string, TimeSpan> { ["session"] = TimeSpan.FromMinutes(1) },
        };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(options);
        SshClientProcess process = await pair.Client.CreateProcessAsync("idle").WaitAsync(TestTimeout.Default);
        Assert.False(process.WaitForExitAsync().IsCompleted);

        // The sweep runs every 15 s of the provider's time; advance in its steps.
        for (int i = 0; i < 10; i++)
        {
            time.Advance(TimeSpan.FromSeconds(15));
        }

        Assert.Null((await process.WaitForExitAsync().WaitAsync(TestTimeout.Default)).ExitStatus);
        await process.DisposeAsync();
    }

    [Fact]
    public async Task One_clock_setting_both_fails_the_connect()
    {
        (Stream clientStream, Stream serverStream) = Rx.Ssh.Testing.InMemoryStream.CreatePair();
        await using (clientStream)
        await using (serverStream)
        {
            SshClientOptions both = InMemoryServer.DefaultClientOptions() with { TimeProvider = new FakeTimeProvider(), Scheduler = System.Reactive.Concurrency.ImmediateScheduler.Instance };
            ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => SshClient.ConnectAsync(clientStream, Rx.Ssh.Testing.InMemorySshServer.DefaultHostName, 22, both));
            Assert.Contains("TimeProvider", error.Message, StringComparison.Ordinal);
        }

        Assert.Null(new SshClientOptions().TimeProvider);
        Assert.Same(System.Reactive.Concurrency.DefaultScheduler.Instance, new SshServerOptions().Scheduler);
    }

    [Fact]
    public async Task The_scheduler_keeps_the_providers_time_and_disposal_cancels()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero));
        var scheduler = new SshTimeProviderScheduler(time);
        Assert.Equal(time.GetUtcNow(), scheduler.Now);

        int ran = 0;
        IDisposable later = System.Reactive.Concurrency.Scheduler.Schedule(scheduler, TimeSpan.FromSeconds(10), () => Interlocked.Increment(ref ran));
        IDisposable cancelled = System.Reactive.Concurrency.Scheduler.Schedule(scheduler, TimeSpan.FromSeconds(10), () => Interlocked.Add(ref ran, 100));
        cancelled.Dispose();
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, Volatile.Read(ref ran));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, Volatile.Read(ref ran));
        later.Dispose();

        var now = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        System.Reactive.Concurrency.Scheduler.Schedule(scheduler, () => now.TrySetResult());
        await now.Task.WaitAsync(TestTimeout.Default);

        System.Reactive.Concurrency.IStopwatch watch = scheduler.StartStopwatch();
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(TimeSpan.FromMinutes(2), watch.Elapsed);
    }
}
