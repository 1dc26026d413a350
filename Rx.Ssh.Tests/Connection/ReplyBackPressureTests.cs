using System.Buffers.Binary;
using Rx.Ssh.Messages;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Transport;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Tests.Connection;

/// <summary>
/// Replies the read loop makes (global request replies, CHANNEL_OPEN_FAILURE, UNIMPLEMENTED...)
/// are bounded: a client that sends and never reads is no longer read once a megabyte of replies
/// waits for it, is cut off if it keeps the queue growing during a key exchange, and never gets
/// its own long strings echoed back. The raw client's transport reads only when the test asks,
/// so not calling <c>ReceiveAsync</c> is a client that never reads.
/// </summary>
[Collection(HeapMeasuringCollection.Name)]
public sealed class ReplyBackPressureTests
{
    private const int MiB = 1024 * 1024;
    private const string Done = "done@rx-ssh.test";

    private static SshServerOptions Options() => InMemoryServer.DefaultServerOptions(p => Task.Delay(Timeout.Infinite, p.Closed));

    [Fact]
    public async Task A_client_that_never_reads_stops_being_read_and_a_rekey_still_completes_once_it_reads()
    {
        const int requests = 100_000;
        var logs = new LogCollector(SshLogEvents.Transport.ReadingPaused);
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(Options() with { LoggerFactory = logs });
        await using (client)
        {
            await client.LoginAsync();
            await using SshServerConnection connection = await server.WaitAsync(TestTimeout.Default);
            Task<LogEntry> paused = logs.WaitForAsync(SshLogEvents.Transport.ReadingPaused);
            long before = GC.GetTotalMemory(forceFullCollection: true);

            // A client that never reads: it sends until the server stops reading it, and then no
            // more. What it queued by then is bounded by its own buffers (its send budget, the
            // stream), so the replies the server queues while the key exchange below makes it
            // read again stay under the hard cap. A client that goes on sending through the
            // exchange is the cut-off case (the last test here), not this one.
            int sent = 0;
            Task sender = Task.Run(async () =>
            {
                while (sent < requests && !paused.IsCompleted)
                {
                    await client.SendAsync(w => GlobalRequest(w, "keepalive@openssh.com", wantReply: true));
                    Interlocked.Increment(ref sent);
                }
            });

            // Without back-pressure the server reads all 100,000 and queues every reply.
            // The reader pauses as soon as the queued replies reach the limit, so what it queued
            // then is all it ever queued: one reply past the limit at most.
            await Task.WhenAny(paused, sender).WaitAsync(TestTimeout.Long);
            Assert.True(paused.IsCompleted, "the server read every request although the client read no reply");
            long during = GC.GetTotalMemory(forceFullCollection: true);
            Assert.InRange((await paused).Value<long>("Replies"), SshTransport.ReplyLimit, SshTransport.ReplyLimit + 4096);
            Assert.True(during - before < 32 * MiB, $"managed heap grew by {(during - before) / 1024} KiB");

            // A key exchange started while the reader is paused must not wedge anything: the
            // client reads again, the server writes again, both ends finish the exchange and
            // every request gets its reply.
            connection.Rekey();
            int replies = 0;
            while (true)
            {
                if (replies == Volatile.Read(ref sent))
                {
                    // Every request queued so far is answered, so the client's send queue is
                    // empty and a send in progress cannot be waiting for this loop: the sender
                    // has stopped, or is queueing one more whose reply is still to come.
                    await sender.WaitAsync(TestTimeout.Default);
                    if (replies == Volatile.Read(ref sent))
                    {
                        break;
                    }
                }

                byte[] payload = await client.ReceiveAsync();
                Assert.Equal(MessageNumber.RequestFailure, payload[0]);
                replies++;
            }

            // One more round trip: its request follows the client's NEWKEYS, so its reply shows
            // the server has finished the exchange too.
            await client.SendAsync(w => GlobalRequest(w, "keepalive@openssh.com", wantReply: true));
            Assert.Equal(MessageNumber.RequestFailure, (await client.ReceiveAsync())[0]);
            Assert.True(connection.Transport.KeyExchangeCount >= 2, "the server's key exchange did not complete");
            Assert.True(client.Transport.KeyExchangeCount >= 2, "the client's key exchange did not complete");
            // Not cut off: the replies queued during the exchange stayed under the hard limit.
            Assert.False(connection.Completion.IsCompleted);
        }
    }

    [Fact]
    public async Task Channel_open_failures_quote_a_huge_channel_type_instead_of_echoing_it()
    {
        const int opens = 2_000;
        var logs = new LogCollector(SshLogEvents.Connection.GlobalRequestReceived, SshLogEvents.Transport.ReadingPaused);
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(Options() with { LoggerFactory = logs });
        await using (client)
        {
            await client.LoginAsync();
            await using SshServerConnection connection = await server.WaitAsync(TestTimeout.Default);
            Task done = logs.WaitForAsync(SshLogEvents.Connection.GlobalRequestReceived, e => e.Value<string>("Name") == Done);
            byte[] open = ChannelOpen(new string('x', 200 * 1024));
            long before = GC.GetTotalMemory(forceFullCollection: true);

            Task sender = Task.Run(async () =>
            {
                for (uint i = 0; i < opens; i++)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(open.AsSpan(open.Length - 12), i);
                    await client.SendAsync(w => w.WriteRaw(open));
                }

                await client.SendAsync(w => GlobalRequest(w, Done, wantReply: false));
            });

            // The server has handled every open while the client read nothing.
            await done.WaitAsync(TestTimeout.Long);
            long during = GC.GetTotalMemory(forceFullCollection: true);
            Assert.True(during - before < 32 * MiB, $"managed heap grew by {(during - before) / 1024} KiB");
            Assert.All(
                logs.Entries.Where(e => e.EventId == SshLogEvents.Transport.ReadingPaused),
                e => Assert.InRange(e.Value<long>("Replies"), SshTransport.ReplyLimit, SshTransport.ReplyLimit + 4096));

            for (uint i = 0; i < opens; i++)
            {
                byte[] failure = await client.ReceiveAsync();
                Assert.Equal(MessageNumber.ChannelOpenFailure, failure[0]);
                Assert.True(failure.Length < 256, $"the reply is {failure.Length} bytes");
                var r = new SshReader(failure.AsSpan(1));
                Assert.Equal(i, r.ReadUInt32());
                Assert.Equal(ChannelOpenFailureReason.UnknownChannelType, (ChannelOpenFailureReason)r.ReadUInt32());
                Assert.Contains("'xxxx", r.ReadUtf8String(), StringComparison.Ordinal);
            }

            await sender.WaitAsync(TestTimeout.Default);
            await client.OpenSessionAsync(opens);
        }
    }

    [Fact]
    public async Task A_client_that_keeps_the_reply_queue_growing_during_a_key_exchange_is_cut_off()
    {
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(Options());
        await using (client)
        {
            await client.LoginAsync();
            await using SshServerConnection connection = await server.WaitAsync(TestTimeout.Default);

            // The server's KEXINIT goes out and its writer holds everything else back until the
            // client answers, which this client never does; the server's reader must keep
            // reading for the exchange to go on, so only the hard cap bounds the replies.
            connection.Rekey();
            Task sender = Task.Run(async () =>
            {
                for (int i = 0; i < 200_000 && !connection.Completion.IsCompleted; i++)
                {
                    await client.SendAsync(w => GlobalRequest(w, "keepalive@openssh.com", wantReply: true));
                }
            });

            Exception? error = await connection.Completion.WaitAsync(TestTimeout.Long);
            SshConnectionException disconnect = Assert.IsType<SshConnectionException>(error);
            Assert.Equal(DisconnectReason.ProtocolError, disconnect.Reason);
            Assert.True(disconnect.IsLocal);
            Assert.Contains($"more than {SshTransport.ReplyHardLimit} bytes of replies", disconnect.Message, StringComparison.Ordinal);
            await sender.WaitAsync(TestTimeout.Default);

            // The client, reading at last, finds the server's KEXINIT and then its DISCONNECT.
            SshConnectionException seen = await client.ExpectDisconnectAsync();
            Assert.Equal(DisconnectReason.ProtocolError, seen.Reason);
            Assert.False(seen.IsLocal);
        }
    }

    // byte SSH_MSG_GLOBAL_REQUEST, string request name, boolean want reply
    private static void GlobalRequest(SshWriter w, string name, bool wantReply)
    {
        w.WriteByte(MessageNumber.GlobalRequest);
        w.WriteString(name);
        w.WriteBoolean(wantReply);
    }

    // byte SSH_MSG_CHANNEL_OPEN, string channel type, uint32 sender channel, uint32 initial window size, uint32 maximum packet size
    private static byte[] ChannelOpen(string type)
    {
        using var buffer = new SshBuffer();
        SshWriter w = buffer.Writer;
        w.WriteByte(MessageNumber.ChannelOpen);
        w.WriteString(type);
        w.WriteUInt32(0);
        w.WriteUInt32(2 * MiB);
        w.WriteUInt32(32768);
        return buffer.ToArray();
    }
}
