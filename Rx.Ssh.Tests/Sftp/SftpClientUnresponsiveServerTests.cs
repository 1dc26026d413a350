using System.Reactive.Linq;
using Rx.Ssh.Sftp;
using Rx.Ssh.Sftp.Protocol;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Sftp;

/// <summary>
/// Transfers of <see cref="SftpClient"/> against a scripted server that stops answering mid-transfer
/// or answers out of order with short reads: a transfer is cancelled by disposal with its handle
/// closed, a silent server ends the session after <see cref="SftpClientOptions.ReplyTimeout"/>
/// (typed error, channel closed, nothing hangs), and out-of-order replies still make the file in order.
/// </summary>
public sealed class SftpClientUnresponsiveServerTests : IDisposable
{
    private const int Size = 1_000_000;
    private static readonly byte[] Handle = "h1"u8.ToArray();
    private static readonly SftpAttributes FileAttributes = new() { Size = Size, Permissions = 0x81A4 };
    private readonly string _dir = Directory.CreateTempSubdirectory("rxssh-sftpsilent-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_download_whose_reads_go_unanswered_is_cancelled_by_disposal_and_its_handle_closed()
    {
        (SftpClient client, ScriptedSftpServer server) = await ScriptedSftpServer.StartAsync(SftpClientOptions.Default with { ReplyTimeout = Timeout.InfiniteTimeSpan });
        await using (server)
        await using (client)
        {
            var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            IDisposable subscription = client.Get("/r.bin", Path.Combine(_dir, "local.bin"))
                .Finally(ended.SetResult)
                .Subscribe(p => first.TrySetResult(), _ => { });
            await OpenForReadingAsync(server);

            // The first READ is answered, every later one is left hanging.
            ScriptedSftpServer.Request read = await server.ReceiveAsync();
            Assert.Equal((SftpPacketType.Read, 0L), (read.Type, read.Range.Offset));
            await server.SendDataAsync(read.Id, new byte[read.Range.Length]);
            await first.Task.WithTimeout();

            subscription.Dispose();
            (ScriptedSftpServer.Request close, List<ScriptedSftpServer.Request> unanswered) = await server.ReceiveUntilAsync(SftpPacketType.Close);
            Assert.Equal(Handle, close.Handle);
            Assert.All(unanswered, r => Assert.Equal(SftpPacketType.Read, r.Type));
            Assert.NotEmpty(unanswered);
            await server.SendStatusAsync(close.Id, SftpStatusCode.Ok);
            await ended.Task.WithTimeout();

            // Late answers to the abandoned reads are dropped; the session goes on.
            foreach (ScriptedSftpServer.Request late in unanswered.Take(5))
            {
                await server.SendDataAsync(late.Id, new byte[10]);
            }

            Task<SftpAttributes> stat = client.StatAsync("/next");
            ScriptedSftpServer.Request next = await server.ReceiveAsync();
            await server.SendAttrsAsync(next.Id, new SftpAttributes { Size = 7 });
            Assert.Equal(7ul, (await stat.WithTimeout()).Size);
            Assert.False(client.Closed.IsCompleted);
        }
    }

    [Fact]
    public async Task A_server_gone_silent_mid_download_ends_the_session_after_the_reply_timeout()
    {
        var clock = new VirtualClock();
        (SftpClient client, ScriptedSftpServer server) = await ScriptedSftpServer.StartAsync(SftpClientOptions.Default with { ReplyTimeout = TimeSpan.FromSeconds(10), Scheduler = clock });
        await using (server)
        await using (client)
        {
            var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task<SftpProgress> download = client.GetAsync("/r.bin", Path.Combine(_dir, "local.bin"), progress: new SyncProgress(_ => first.TrySetResult()));
            await OpenForReadingAsync(server);
            ScriptedSftpServer.Request read = await server.ReceiveAsync();
            await server.SendDataAsync(read.Id, new byte[read.Range.Length]);
            await first.Task.WithTimeout();

            // Nothing more is answered. Before the timeout the session lives; after it, it ends.
            clock.AdvanceBy(TimeSpan.FromSeconds(9));
            Assert.False(client.Closed.IsCompleted);
            clock.AdvanceBy(TimeSpan.FromSeconds(4));

            SftpException e = await Assert.ThrowsAsync<SftpException>(() => download.WithTimeout());
            Assert.Equal(SftpStatusCode.ConnectionLost, e.Code);
            Assert.IsType<TimeoutException>(e.InnerException);
            await client.Closed.WithTimeout();

            // The channel was closed (so a real server closes the session's handles): the server reads its end.
            while (await server.TryReceiveAsync() is not null)
            {
            }

            SftpException after = await Assert.ThrowsAsync<SftpException>(() => client.StatAsync("/x").WithTimeout());
            Assert.Equal(SftpStatusCode.ConnectionLost, after.Code);
        }
    }

    [Fact]
    public async Task A_cancelled_upload_whose_writes_go_unanswered_ends_at_the_reply_timeout()
    {
        string local = Path.Combine(_dir, "up.bin");
        SftpTestFiles.WriteRandomFile(local, Size);
        var clock = new VirtualClock();
        (SftpClient client, ScriptedSftpServer server) = await ScriptedSftpServer.StartAsync(SftpClientOptions.Default with { ReplyTimeout = TimeSpan.FromSeconds(10), Scheduler = clock });
        await using (server)
        await using (client)
        {
            using var cancel = new CancellationTokenSource();
            Task<SftpProgress> upload = client.PutAsync(local, "/up.bin", cancellationToken: cancel.Token);
            ScriptedSftpServer.Request stat = await server.ReceiveAsync();
            Assert.Equal(SftpPacketType.Stat, stat.Type);
            await server.SendStatusAsync(stat.Id, SftpStatusCode.NoSuchFile);
            ScriptedSftpServer.Request open = await server.ReceiveAsync();
            Assert.Equal(SftpPacketType.Open, open.Type);
            await server.SendHandleAsync(open.Id, Handle);
            Assert.Equal(SftpPacketType.Write, (await server.ReceiveAsync()).Type);

            // Cancelled, the upload waits for its writes in flight before truncating; they never come back.
            await cancel.CancelAsync();
            Assert.False(upload.IsCompleted);
            clock.AdvanceBy(TimeSpan.FromSeconds(13));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload.WithTimeout());
            await client.Closed.WithTimeout();
        }
    }

    [Fact]
    public async Task Without_a_reply_timeout_disposing_the_client_ends_a_transfer_stuck_on_a_silent_server()
    {
        (SftpClient client, ScriptedSftpServer server) = await ScriptedSftpServer.StartAsync(SftpClientOptions.Default with { ReplyTimeout = TimeSpan.Zero });
        await using (server)
        {
            Task<SftpProgress> download = client.GetAsync("/r.bin", Path.Combine(_dir, "local.bin"));
            await OpenForReadingAsync(server);
            Assert.Equal(SftpPacketType.Read, (await server.ReceiveAsync()).Type);

            await client.DisposeAsync();
            SftpException e = await Assert.ThrowsAsync<SftpException>(() => download.WithTimeout());
            Assert.Equal(SftpStatusCode.ConnectionLost, e.Code);
        }
    }

    [Fact]
    public async Task Reads_answered_out_of_order_and_short_still_make_the_file_in_order()
    {
        const int Block = 4096, Depth = 8, Length = 200_000;
        byte[] content = Enumerable.Range(0, Length).Select(i => (byte)((i * 31) + (i / 7))).ToArray();
        (SftpClient client, ScriptedSftpServer server) = await ScriptedSftpServer.StartAsync(SftpClientOptions.Default);
        await using (server)
        await using (client)
        {
            string local = Path.Combine(_dir, "ooo.bin");
            Task<SftpProgress> download = client.GetAsync("/r.bin", local, new SftpTransferOptions { BlockSize = Block, MaxRequestsInFlight = Depth });
            await OpenForReadingAsync(server, new SftpAttributes { Size = Length, Permissions = 0x81A4 });

            // Each aligned READ well before the end is held until the next READ came and was answered
            // (replies swapped pairwise); every fifth block is answered short, the client asking for the rest.
            ScriptedSftpServer.Request? held = null;
            int shortReads = 0;
            while (true)
            {
                ScriptedSftpServer.Request r = await server.ReceiveAsync();
                if (r.Type == SftpPacketType.Close)
                {
                    await server.SendStatusAsync(r.Id, SftpStatusCode.Ok);
                    break;
                }

                Assert.Equal(SftpPacketType.Read, r.Type);
                (long offset, _) = r.Range;
                if (held is null && offset % Block == 0 && offset + (Block * (Depth + 2)) < Length)
                {
                    held = r;
                    continue;
                }

                shortReads += await AnswerAsync(r);
                if (held is not null)
                {
                    shortReads += await AnswerAsync(held);
                    held = null;
                }
            }

            SftpProgress done = await download.WithTimeout();
            Assert.Equal(Length, done.BytesDone);
            Assert.Equal(content, await File.ReadAllBytesAsync(local));
            Assert.True(shortReads > 5, $"{shortReads} short reads");
        }

        async Task<int> AnswerAsync(ScriptedSftpServer.Request r)
        {
            (long offset, int length) = r.Range;
            if (offset >= Length)
            {
                await server.SendStatusAsync(r.Id, SftpStatusCode.Eof);
                return 0;
            }

            int n = (int)Math.Min(length, Length - offset);
            bool cut = offset % Block == 0 && (offset / Block) % 5 == 3 && n > 100;
            await server.SendDataAsync(r.Id, content.AsMemory((int)offset, cut ? n / 3 : n));
            return cut ? 1 : 0;
        }
    }

    // STAT, OPEN and FSTAT of a download, answered: a regular file, handle "h1".
    private static async Task OpenForReadingAsync(ScriptedSftpServer server, SftpAttributes? attributes = null)
    {
        ScriptedSftpServer.Request stat = await server.ReceiveAsync();
        Assert.Equal(SftpPacketType.Stat, stat.Type);
        await server.SendAttrsAsync(stat.Id, attributes ?? FileAttributes);
        ScriptedSftpServer.Request open = await server.ReceiveAsync();
        Assert.Equal(SftpPacketType.Open, open.Type);
        await server.SendHandleAsync(open.Id, Handle);
        ScriptedSftpServer.Request fstat = await server.ReceiveAsync();
        Assert.Equal(SftpPacketType.Fstat, fstat.Type);
        await server.SendAttrsAsync(fstat.Id, attributes ?? FileAttributes);
    }
}
