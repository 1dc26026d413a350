using Rx.Ssh.Sftp.Client;
using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp.Transfers;

/// <summary>
/// A remote-to-remote file copy. On one server offering <c>copy-data</c>, the server copies (in
/// pieces, for progress) and no data crosses the network; otherwise blocks are read ahead from the
/// source and written behind to the destination, each side pipelined.
/// </summary>
internal static class SftpRemoteCopy
{
    // One copy-data request per piece: large enough to cost nothing, small enough for progress.
    private const long ServerPiece = 64L * 1024 * 1024;

    public static async Task RunAsync(SftpClient source, string sourcePath, SftpClient destination, string destinationPath, SftpTransferOptions options, ProgressTracker progress, CancellationToken cancellationToken)
    {
        progress.Starting(sourcePath);
        await using SftpFile src = await source.OpenAsync(sourcePath, SftpOpenFlags.Read, null, cancellationToken).ConfigureAwait(false);
        SftpAttributes attributes = await src.StatAsync(cancellationToken).ConfigureAwait(false);
        long size = (long)Math.Min(attributes.Size ?? 0, long.MaxValue);
        progress.AddTotal(size);
        await using SftpFile dst = await destination.OpenAsync(destinationPath, SftpOpenFlags.Write | SftpOpenFlags.Create | SftpOpenFlags.Truncate, null, cancellationToken).ConfigureAwait(false);
        if (ReferenceEquals(source, destination) && source.Supports(SftpExtensionNames.CopyData))
        {
            for (long offset = 0; offset < size; offset += ServerPiece)
            {
                long length = Math.Min(ServerPiece, size - offset);
                await source.CopyDataAsync(src, offset, length, dst, offset, cancellationToken).ConfigureAwait(false);
                progress.Add(length, sourcePath);
            }
        }
        else
        {
            await PipeAsync(src, dst, options, progress, sourcePath, cancellationToken).ConfigureAwait(false);
        }

        var preserved = new SftpAttributes
        {
            Permissions = options.PreservePermissions ? attributes.Permissions & 0xFFF : null,
            AccessTime = options.PreserveTimes ? attributes.AccessTime : null,
            ModifyTime = options.PreserveTimes ? attributes.ModifyTime : null,
        };
        if (preserved.Flags != SftpAttributeFlags.None)
        {
            await dst.SetStatAsync(preserved, cancellationToken).ConfigureAwait(false);
        }

        await dst.CloseAsync(cancellationToken).ConfigureAwait(false);
        progress.FileDone(sourcePath);
    }

    private static async Task PipeAsync(SftpFile src, SftpFile dst, SftpTransferOptions options, ProgressTracker progress, string file, CancellationToken cancellationToken)
    {
        int block = Math.Min(options.BlockSize ?? src.Client.ReadBlockSize, dst.Client.WriteBlockSize);
        int depth = options.MaxRequestsInFlight ?? src.Client.RequestsInFlight(block);
        src.Client.EnsureReceiveWindow(depth, block);
        var reads = new Queue<(long Offset, int Length, Task<SftpReply> Reply)>();
        var writes = new Queue<(int Length, Task Done)>();
        long next = 0;
        bool eof = false;
        try
        {
            while (true)
            {
                while (!eof && reads.Count < depth)
                {
                    SftpPacketWriter packet = src.StartRead(next, block, out uint id);
                    reads.Enqueue((next, block, src.Client.Session.RequestAsync(packet, id, cancellationToken)));
                    next += block;
                }

                if (reads.Count == 0)
                {
                    break;
                }

                (long offset, int length, Task<SftpReply> pending) = reads.Dequeue();
                using (SftpReply reply = await pending.ConfigureAwait(false))
                {
                    ReadOnlyMemory<byte> data = eof ? default : reply.Data(length);
                    if (data.IsEmpty)
                    {
                        eof = true;
                        continue;
                    }

                    // WriteAsync copies the data into its requests before returning.
                    writes.Enqueue((data.Length, dst.WriteAsync(offset, data, cancellationToken)));
                    if (data.Length < length)
                    {
                        // A short read: the rest comes next, through a fresh pipeline from here.
                        foreach ((_, _, Task<SftpReply> ahead) in reads)
                        {
                            SftpTasks.Observe(ahead);
                        }

                        reads.Clear();
                        next = offset + data.Length;
                    }
                }

                while (writes.Count > depth || (writes.Count > 0 && writes.Peek().Done.IsCompleted))
                {
                    (int written, Task done) = writes.Dequeue();
                    await done.ConfigureAwait(false);
                    progress.Add(written, file);
                }
            }

            while (writes.Count > 0)
            {
                (int written, Task done) = writes.Dequeue();
                await done.ConfigureAwait(false);
                progress.Add(written, file);
            }
        }
        finally
        {
            foreach ((_, _, Task<SftpReply> ahead) in reads)
            {
                SftpTasks.Observe(ahead);
            }

            foreach ((_, Task done) in writes)
            {
                SftpTasks.Observe(done);
            }
        }
    }
}
