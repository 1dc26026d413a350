using System.Reactive.Concurrency;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Server;

/// <summary>
/// <see cref="SshServerOptions.UnusedConnectionTimeout"/> (issue 16, item 5; OpenSSH's
/// UnusedConnectionTimeout): a connection with no channel for the whole timeout is closed; an open
/// channel holds it, and the clock restarts when the last one closes. In virtual time.
/// </summary>
public sealed class UnusedConnectionTimeoutTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_connection_without_channels_is_closed_after_the_timeout_and_an_open_channel_holds_it()
    {
        var clock = new HistoricalScheduler(DateTimeOffset.UtcNow);
        var logs = new LogCollector();
        SshServerOptions options = InMemoryServer.DefaultServerOptions(async p => await p.Stdin.ReadToEndAsync()) with
        {
            Scheduler = clock,
            UnusedConnectionTimeout = Timeout,
            LoggerFactory = logs,
        };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(options);

        clock.AdvanceBy(Timeout - TimeSpan.FromSeconds(1));
        Assert.False(pair.Client.Completion.IsCompleted);

        // A channel open for much longer than the timeout keeps the connection.
        Task empty = logs.WaitForAsync(SshLogEvents.Connection.ChannelClosed, e => e.Value<int>("Left") == 0);
        SshClientProcess process = await pair.Client.CreateProcessAsync("x").WaitAsync(TestTimeout.Default);
        clock.AdvanceBy(Timeout * 4);
        Assert.False(pair.Client.Completion.IsCompleted);

        await process.Stdin.CloseAsync().WaitAsync(TestTimeout.Default);
        await process.DisposeAsync().AsTask().WaitAsync(TestTimeout.Default);
        await empty.WaitAsync(TestTimeout.Default);

        // The clock restarts when the last channel closes.
        clock.AdvanceBy(Timeout - TimeSpan.FromSeconds(1));
        Assert.False(pair.Client.Completion.IsCompleted);
        clock.AdvanceBy(TimeSpan.FromSeconds(1));

        // An orderly close by the server (DISCONNECT by application): both ends complete cleanly.
        Assert.Null(await pair.Client.Completion.WaitAsync(TestTimeout.Default));
        Assert.Null(await pair.Server.Completion.WaitAsync(TestTimeout.Default));
    }

    [Fact]
    public void Off_by_default_as_sshd()
    {
        Assert.Equal(System.Threading.Timeout.InfiniteTimeSpan, new SshServerOptions().UnusedConnectionTimeout);
        Assert.True(new SshServerOptions().SourcePenalties.Enabled);
    }
}
