using Microsoft.Win32.SafeHandles;
using Rx.Ssh.Sftp.Client;
using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp.Transfers;

/// <summary>
/// One file from the server, pipelined: READ requests of one block each are kept in flight (the
/// client's depth), replies are taken strictly in offset order and written to the local file in
/// order (so the local file is always a prefix of the remote one, which is what resuming relies
/// on), a short read is re-requested for its remainder ahead of the others, and an EOF status ends
/// the file. Memory is bounded by depth × block: replies wait in their pooled buffers, nothing is file-sized.
/// </summary>
internal static class SftpDownload
{
    public static async Task RunAsync(SftpClient client, string remotePath, string localPath, SftpTransferOptions options, ProgressTracker progress, CancellationToken cancellationToken, long plannedSize = 0, int depthShare = 1)
    {
        progress.Starting(remotePath);
        int block = options.BlockSize ?? client.ReadBlockSize;
        int depth = options.MaxRequestsInFlight ?? client.RequestsInFlight(block);
        client.EnsureReceiveWindow(depth, block);
        depth = depthShare > 1 ? Math.Max(4, depth / depthShare) : depth;
        await using SftpFile remote = await client.OpenAsync(remotePath, SftpOpenFlags.Read, null, cancellationToken).ConfigureAwait(false);

        // A file of a walked tree has its size from the listing: its READs go out with the FSTAT
        // instead of one round trip after it (what a tree of small files is made of), and the FSTAT's
        // size replaces the listed one when it arrives. A single file, or a resume, waits for it.
        Task<SftpAttributes> stat = remote.StatAsync(cancellationToken);
        bool provisional = plannedSize > 0 && !options.Resume;
        long size = plannedSize;
        if (!provisional)
        {
            size = SizeOf(await stat.ConfigureAwait(false));
        }

        long start = 0;
        if (options.Resume && File.Exists(localPath))
        {
            start = new FileInfo(localPath).Length;
            if (stat.Result.Size.HasValue && start > size)
            {
                throw new SftpException(SftpStatusCode.Failure, $"Cannot resume: the local file {localPath} ({start} bytes) is larger than {remotePath} ({size} bytes).");
            }
        }

        progress.AddTotal(Math.Max(size, start) - plannedSize);
        progress.Resumed(start);
        long done;
        try
        {
            using SafeFileHandle local = LocalFiles.Open(localPath, start > 0 ? FileMode.Open : FileMode.Create, FileAccess.Write);
            if (start > 0)
            {
                RandomAccess.SetLength(local, start);
            }

            done = await PumpAsync(remote, local, start, size, provisional ? stat : null, block, depth, progress, remotePath, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            SftpTasks.Observe(stat);
            throw;
        }

        // The file grew or shrank while it was read (or reported no size): the total follows.
        progress.AddTotal(done - Math.Max(size, start));
        SftpAttributes attributes = await stat.ConfigureAwait(false);
        await remote.CloseAsync(cancellationToken).ConfigureAwait(false);
        LocalFiles.Apply(localPath, attributes, options);
        progress.FileDone(remotePath);
    }

    private static long SizeOf(SftpAttributes attributes) => attributes.Size is ulong s ? (long)Math.Min(s, long.MaxValue) : 0;

    /// <summary>
    /// Reads from <paramref name="start"/> to <paramref name="size"/> (0: until EOF). With
    /// <paramref name="pendingStat"/>, <paramref name="size"/> is provisional: once the FSTAT has
    /// answered, its size is the limit (unless an EOF came first), and the pump does not end before that.
    /// </summary>
    private static async Task<long> PumpAsync(SftpFile remote, SafeFileHandle local, long start, long size, Task<SftpAttributes>? pendingStat, int block, int depth, ProgressTracker progress, string file, CancellationToken cancellationToken)
    {
        // Without a size (or a size of 0, as /proc files report), read until EOF.
        long limit = size > 0 ? size : long.MaxValue;
        bool eof = false;
        var inFlight = new LinkedList<Read>();
        long next = start;
        long written = start;
        try
        {
            while (true)
            {
                if (pendingStat is not null && (pendingStat.IsCompleted || inFlight.Count == 0))
                {
                    long actual = SizeOf(await pendingStat.ConfigureAwait(false));
                    pendingStat = null;
                    if (!eof)
                    {
                        limit = actual > 0 ? actual : long.MaxValue;
                    }
                }

                while (inFlight.Count < depth && next < limit)
                {
                    int length = (int)Math.Min(block, limit - next);
                    inFlight.AddLast(Issue(remote, next, length, cancellationToken));
                    next += length;
                }

                if (inFlight.Count == 0)
                {
                    if (pendingStat is not null)
                    {
                        continue;
                    }

                    return written;
                }

                Read head = inFlight.First!.Value;
                inFlight.RemoveFirst();
                using SftpReply reply = await head.Reply.ConfigureAwait(false);
                if (head.Offset >= limit)
                {
                    // Past an EOF already seen: whatever it says, the file ends before it.
                    continue;
                }

                ReadOnlyMemory<byte> data = reply.Data(head.Length);
                if (data.IsEmpty)
                {
                    // EOF at head.Offset: nothing after it either; stop asking.
                    eof = true;
                    limit = Math.Min(limit, head.Offset);
                    next = Math.Min(next, limit);
                    continue;
                }

                await LocalFiles.WriteAsync(local, data, head.Offset, cancellationToken).ConfigureAwait(false);
                written = head.Offset + data.Length;
                if (data.Length < head.Length)
                {
                    // A short read: ask for the rest next, ahead of everything already in flight.
                    inFlight.AddFirst(Issue(remote, written, head.Length - data.Length, cancellationToken));
                }

                progress.Add(data.Length, file);
            }
        }
        finally
        {
            foreach (Read read in inFlight)
            {
                SftpTasks.Observe(read.Reply);
            }
        }
    }

    private static Read Issue(SftpFile remote, long offset, int length, CancellationToken cancellationToken)
    {
        SftpPacketWriter packet = remote.StartRead(offset, length, out uint id);
        return new Read(offset, length, remote.Client.Session.RequestAsync(packet, id, cancellationToken));
    }

    private readonly record struct Read(long Offset, int Length, Task<SftpReply> Reply);
}
