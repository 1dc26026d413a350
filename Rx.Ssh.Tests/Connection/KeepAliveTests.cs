using Rx.Ssh.Testing;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Connection;

/// <summary>
/// keepalive@openssh.com on both sides in virtual time: replies (failure ones included) keep the
/// connection up; a peer that stops answering is cut off after CountMax unanswered keepalives.
/// </summary>
public sealed class KeepAliveTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Client_keepalives_answered_with_failure_keep_the_connection_up()
    {
        var clock = new VirtualClock();
        var logs = new LogCollector();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("ok\n")) with { Scheduler = clock },
            InMemoryServer.DefaultClientOptions() with { Scheduler = clock, KeepAliveInterval = Interval, KeepAliveCountMax = 2, LoggerFactory = logs });
        int failures = 0;
        using IDisposable counting = logs.Observe(SshLogEvents.Connection.GlobalReplyReceived).Subscribe(e => Interlocked.Add(ref failures, e.Value<bool>("Success") ? 0 : 1));
        await clock.WhenScheduledAsync(Interval).WithTimeout();

        for (int i = 1; i <= 5; i++)
        {
            clock.AdvanceBy(Interval);

            // The server answers in order, so the reply has come once this round trip is done.
            Assert.Equal("ok\n", (await pair.Client.RunAsync("x").WaitAsync(TestTimeout.Default)).Stdout);
            Assert.Equal(i, Volatile.Read(ref failures));
            Assert.Equal(Enumerable.Repeat(1, i), Unanswered(logs)); // each was answered before the next went out
        }

        Assert.False(pair.Client.Completion.IsCompleted);
    }

    [Fact]
    public async Task Client_cuts_off_a_server_that_stops_answering_after_count_max()
    {
        var clock = new VirtualClock();
        (Stream clientStream, Stream serverStream) = InMemoryStream.CreatePair();
        var deaf = new PausableStream(serverStream);
        Task<SshServerConnection> accept = SshServer.AcceptAsync(deaf, InMemoryServer.DefaultServerOptions() with { Scheduler = clock });
        var logs = new LogCollector(SshLogEvents.Connection.KeepAliveSent);
        await using SshClientConnection client = await SshClient.ConnectAsync(
            clientStream, InMemorySshServer.DefaultHostName, 22, InMemoryServer.DefaultClientOptions() with { Scheduler = clock, KeepAliveInterval = Interval, KeepAliveCountMax = 3, LoggerFactory = logs }).WithTimeout();
        await using SshServerConnection server = await accept.WithTimeout();
        await clock.WhenScheduledAsync(Interval).WithTimeout();

        deaf.Pause();
        for (int i = 1; i <= 3; i++)
        {
            clock.AdvanceBy(Interval);
            Assert.Equal(i, Unanswered(logs)[^1]);
            Assert.False(client.Completion.IsCompleted, $"ended after {i} unanswered keepalive(s)");
        }

        clock.AdvanceBy(Interval);
        Exception? error = await client.Completion.WithTimeout();

        SshConnectionException ex = Assert.IsType<SshConnectionException>(error);
        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.Contains("keepalive", ex.Message, StringComparison.Ordinal);
        Assert.Equal(DisconnectReason.ConnectionLost, ex.Reason);
    }

    [Fact]
    public async Task A_late_reply_resets_the_count()
    {
        var clock = new VirtualClock();
        (Stream clientStream, Stream serverStream) = InMemoryStream.CreatePair();
        var deaf = new PausableStream(serverStream);
        Task<SshServerConnection> accept = SshServer.AcceptAsync(deaf, InMemoryServer.DefaultServerOptions() with { Scheduler = clock });
        var logs = new LogCollector();
        await using SshClientConnection client = await SshClient.ConnectAsync(
            clientStream, InMemorySshServer.DefaultHostName, 22, InMemoryServer.DefaultClientOptions() with { Scheduler = clock, KeepAliveInterval = Interval, KeepAliveCountMax = 2, LoggerFactory = logs }).WithTimeout();
        await using SshServerConnection server = await accept.WithTimeout();
        await clock.WhenScheduledAsync(Interval).WithTimeout();
        var replies = System.Threading.Channels.Channel.CreateUnbounded<bool>();
        using IDisposable forwarding = logs.Observe(SshLogEvents.Connection.GlobalReplyReceived).Subscribe(e => replies.Writer.TryWrite(e.Value<bool>("Success")));

        deaf.Pause();
        clock.AdvanceBy(Interval);
        clock.AdvanceBy(Interval);
        Assert.Equal([1, 2], Unanswered(logs));
        deaf.Resume();
        Assert.False(await replies.Reader.ReadAsync().AsTask().WithTimeout());
        Assert.False(await replies.Reader.ReadAsync().AsTask().WithTimeout());

        // Two more ticks would have ended it without the reset: the next one counts from zero again.
        clock.AdvanceBy(Interval);
        Assert.Equal([1, 2, 1], Unanswered(logs));
        Assert.False(await replies.Reader.ReadAsync().AsTask().WithTimeout());
        Assert.False(client.Completion.IsCompleted);
    }

    [Fact]
    public async Task Server_keepalives_answered_by_our_client_keep_the_connection_up()
    {
        var clock = new VirtualClock();
        var logs = new LogCollector();
        var serverLogs = new LogCollector(SshLogEvents.Connection.KeepAliveSent);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("ok\n")) with { Scheduler = clock, KeepAliveInterval = Interval, KeepAliveCountMax = 1, LoggerFactory = serverLogs },
            InMemoryServer.DefaultClientOptions() with { Scheduler = clock, LoggerFactory = logs });
        var requests = new List<string>();
        using IDisposable recording = logs.Observe(SshLogEvents.Connection.GlobalRequestReceived).Subscribe(e =>
        {
            lock (requests)
            {
                requests.Add(e.Value<string>("Name"));
            }
        });
        await clock.WhenScheduledAsync(Interval).WithTimeout();

        for (int i = 1; i <= 4; i++)
        {
            clock.AdvanceBy(Interval);

            // The keepalive went out before the channel confirmation and the client replies before
            // its exec request, so both have crossed once the command has run.
            Assert.Equal("ok\n", (await pair.Client.RunAsync("x").WaitAsync(TestTimeout.Default)).Stdout);
            Assert.Equal(Enumerable.Repeat(1, i), Unanswered(serverLogs));
        }

        lock (requests)
        {
            Assert.Equal(Enumerable.Repeat("keepalive@openssh.com", 4), requests);
        }

        Assert.False(pair.Server.Completion.IsCompleted);
    }

    [Fact]
    public async Task Server_cuts_off_a_client_that_stops_answering()
    {
        var clock = new VirtualClock();
        (Stream clientStream, Stream serverStream) = InMemoryStream.CreatePair();
        var deaf = new PausableStream(clientStream);
        Task<SshServerConnection> accept = SshServer.AcceptAsync(serverStream, InMemoryServer.DefaultServerOptions() with { Scheduler = clock, KeepAliveInterval = Interval, KeepAliveCountMax = 2 });
        await using SshClientConnection client = await SshClient.ConnectAsync(
            deaf, InMemorySshServer.DefaultHostName, 22, InMemoryServer.DefaultClientOptions() with { Scheduler = clock }).WithTimeout();
        await using SshServerConnection server = await accept.WithTimeout();
        await clock.WhenScheduledAsync(Interval).WithTimeout();

        deaf.Pause();
        clock.AdvanceBy(Interval);
        clock.AdvanceBy(Interval);
        Assert.False(server.Completion.IsCompleted);
        clock.AdvanceBy(Interval);

        SshConnectionException ex = Assert.IsType<SshConnectionException>(await server.Completion.WithTimeout());
        Assert.IsType<TimeoutException>(ex.InnerException);
    }

    [Fact]
    public async Task No_timers_when_keepalive_and_rekey_interval_are_off()
    {
        var clock = new VirtualClock();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("ok\n")) with { Scheduler = clock, RekeyInterval = TimeSpan.Zero },
            InMemoryServer.DefaultClientOptions() with { Scheduler = clock, RekeyInterval = TimeSpan.Zero });

        Assert.Equal(0, clock.PendingCount);
    }

    [Fact]
    public async Task A_negative_count_max_is_refused_before_connecting()
    {
        (Stream clientStream, Stream serverStream) = InMemoryStream.CreatePair();
        await using (clientStream)
        await using (serverStream)
        {
            ArgumentOutOfRangeException ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => SshClient.ConnectAsync(
                clientStream, InMemorySshServer.DefaultHostName, 22, InMemoryServer.DefaultClientOptions() with { KeepAliveCountMax = -1 }));
            Assert.Contains("KeepAliveCountMax", ex.ParamName, StringComparison.Ordinal);
        }
    }

    /// <summary>The unanswered count each keepalive sent so far was logged with (this one included).</summary>
    private static int[] Unanswered(LogCollector logs) =>
        [.. logs.Entries.Where(e => e.EventId.Id == SshLogEvents.Connection.KeepAliveSent.Id).Select(e => e.Value<int>("Unanswered"))];
}
