using Rx.Ssh.Connection;
using Rx.Ssh.Messages;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Tests.Connection;

/// <summary>
/// Channel requests wait in the channel's queue while the session callback is busy, and that
/// queue is bounded: past 256 KiB the connection stops reading from the peer until the callback
/// catches up, then every request is still delivered, in order.
/// </summary>
public sealed class ChannelRequestBackPressureTests
{
    [Fact]
    public async Task Requests_sent_while_a_session_callback_is_slow_stop_the_reading_instead_of_queueing_without_bound()
    {
        const int requests = 200;
        var session = new SlowSignals(requests + 1);
        var logs = new LogCollector();
        SshServerOptions options = InMemoryServer.DefaultServerOptions() with { HandlerFactory = () => new Handler(session), LoggerFactory = logs };
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(options);
        await using (client)
        {
            await client.LoginAsync();
            await using SshServerConnection connection = await server.WaitAsync(TestTimeout.Default);
            Task<LogEntry> full = logs.WaitForAsync(SshLogEvents.Connection.ReadingPaused);
            uint remote = await client.OpenSessionAsync();

            await SendSignalAsync(client, remote, "TERM");
            await session.Entered.Task.WaitAsync(TestTimeout.Default);

            // 200 signals of 32 KiB each (6.4 MB, 25 times the bound) while the callback sits on the first one.
            string name = new('A', 32 * 1024);
            Task sender = Task.Run(async () =>
            {
                for (int i = 0; i < requests; i++)
                {
                    await SendSignalAsync(client, remote, name);
                }
            });

            await Task.WhenAny(full, sender).WaitAsync(TestTimeout.Long);
            Assert.True(full.IsCompleted, "the server queued every request behind the busy callback");
            SshChannel channel = session.Channel.Inner;
            Assert.Equal(channel.LocalId, (await full).Value<uint>("Channel"));
            Assert.InRange((await full).Value<long>("Bytes"), ChannelEventQueue.MaxQueuedRequestBytes, ChannelEventQueue.MaxQueuedRequestBytes + (128 * 1024));

            // The callback catches up: the connection is read again and nothing was lost.
            session.Release.SetResult();
            await sender.WaitAsync(TestTimeout.Long);
            Assert.Equal(requests + 1, await session.AllReceived.Task.WaitAsync(TestTimeout.Long));
            // Reading pauses as soon as the queue passes the bound, so no pause saw it far past.
            Assert.All(
                logs.Entries.Where(e => e.EventId == SshLogEvents.Connection.ReadingPaused),
                e => Assert.InRange(e.Value<long>("Bytes"), ChannelEventQueue.MaxQueuedRequestBytes, ChannelEventQueue.MaxQueuedRequestBytes + (128 * 1024)));
            Assert.False(connection.Completion.IsCompleted);
        }
    }

    // byte SSH_MSG_CHANNEL_REQUEST, uint32 recipient channel, string "signal", boolean FALSE, string signal name
    private static Task SendSignalAsync(RawSshClient client, uint remote, string name) => client.SendAsync(w =>
    {
        w.WriteByte(MessageNumber.ChannelRequest);
        w.WriteUInt32(remote);
        w.WriteString("signal");
        w.WriteBoolean(false);
        w.WriteString(name);
    });

    private sealed class Handler(SlowSignals session) : SshServerHandler
    {
        public override SshServerSession SessionRequested(SshServerConnection connection) => session;
    }

    /// <summary>Blocks in the first signal until released; counts them all.</summary>
    private sealed class SlowSignals(int expected) : SshServerSession
    {
        private int _count;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<int> AllReceived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void SignalReceived(string signal)
        {
            if (Interlocked.Increment(ref _count) == 1)
            {
                Entered.TrySetResult();
                Release.Task.Wait(TestTimeout.Long);
            }

            if (_count == expected)
            {
                AllReceived.TrySetResult(_count);
            }
        }
    }
}
