using System.Threading.Channels;
using Microsoft.Win32.SafeHandles;
using Rx.Ssh.Sftp.Client;
using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp.Transfers;

/// <summary>
/// One file to the server, pipelined: each block is read from the local file straight into its
/// WRITE request, up to the client's depth of writes in flight; acknowledgements are taken in any
/// order, and the highest offset below which every write was acknowledged is tracked. When the
/// upload fails or is cancelled, the remote file is truncated to that offset (after the writes in
/// flight settled), so it is always a prefix of the source and a resumed upload continues from its size.
/// A large file is written through several sessions' handles (<see cref="SftpTransferOptions.UploadChannels"/>):
/// each write goes to the handle with the fewest in flight, and the acknowledgements of all of them
/// feed the one offset tracking.
/// </summary>
internal static class SftpUpload
{
    public static async Task RunAsync(SftpClient client, string localPath, string remotePath, SftpTransferOptions options, ProgressTracker progress, CancellationToken cancellationToken, long plannedSize = 0, int depthShare = 1)
    {
        progress.Starting(remotePath);
        int block = options.BlockSize ?? client.WriteBlockSize;
        int depth = options.MaxRequestsInFlight ?? client.RequestsInFlight(block);
        depth = depthShare > 1 ? Math.Max(4, depth / depthShare) : depth;
        using SafeFileHandle local = LocalFiles.Open(localPath, FileMode.Open, FileAccess.Read);
        long size = RandomAccess.GetLength(local);
        SftpOpenFlags flags = SftpOpenFlags.Write | SftpOpenFlags.Create | (options.Resume ? SftpOpenFlags.None : SftpOpenFlags.Truncate);
        await using SftpFile remote = await client.OpenAsync(remotePath, flags, null, cancellationToken).ConfigureAwait(false);
        long start = 0;
        if (options.Resume)
        {
            SftpAttributes existing = await remote.StatAsync(cancellationToken).ConfigureAwait(false);
            start = (long)Math.Min(existing.Size ?? 0, long.MaxValue);
            if (start > size)
            {
                throw new SftpException(SftpStatusCode.Failure, $"Cannot resume: the remote file {remotePath} ({start} bytes) is larger than {localPath} ({size} bytes).");
            }
        }

        progress.AddTotal(size - plannedSize);
        progress.Resumed(start);
        // By default only a file transferred alone spreads: files moved several at a time already overlap.
        int channels = options.UploadChannels ?? (depthShare == 1 && size - start >= SftpTransferOptions.ParallelUploadThreshold ? SftpTransferOptions.DefaultUploadChannels : 1);
        List<(SftpClient Client, SftpFile File)> siblings = channels > 1 ? await OpenSiblingsAsync(client, remotePath, channels - 1, cancellationToken).ConfigureAwait(false) : [];
        try
        {
            SftpFile[] handles = [remote, .. siblings.Select(s => s.File)];
            await PumpAsync(handles, local, start, size, block, depth, progress, remotePath, cancellationToken).ConfigureAwait(false);
            foreach ((_, SftpFile file) in siblings)
            {
                await file.CloseAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await DisposeAllAsync(siblings).ConfigureAwait(false);
        }

        SftpAttributes preserved = LocalFiles.Describe(localPath, options);
        if (preserved.Flags != Protocol.SftpAttributeFlags.None)
        {
            await remote.SetStatAsync(preserved, cancellationToken).ConfigureAwait(false);
        }

        await remote.CloseAsync(cancellationToken).ConfigureAwait(false);
        progress.FileDone(remotePath);
    }

    /// <summary>Up to <paramref name="count"/> more sessions, each with the (already created) file open for writing; fewer when the server refuses sessions.</summary>
    private static async Task<List<(SftpClient Client, SftpFile File)>> OpenSiblingsAsync(SftpClient client, string remotePath, int count, CancellationToken cancellationToken)
    {
        Task<SftpClient?>[] starting = [.. Enumerable.Range(0, count).Select(_ => client.TryStartSiblingAsync(cancellationToken))];
        var opened = new List<(SftpClient, SftpFile)>();
        Exception? failure = null;
        foreach (Task<SftpClient?> task in starting)
        {
            SftpClient? sibling;
            try
            {
                sibling = await task.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                failure ??= e;
                continue;
            }

            if (sibling is null)
            {
                continue;
            }

            try
            {
                opened.Add((sibling, await sibling.OpenAsync(remotePath, SftpOpenFlags.Write, null, cancellationToken).ConfigureAwait(false)));
            }
            catch (Exception e)
            {
                await sibling.DisposeAsync().ConfigureAwait(false);
                failure ??= e;
            }
        }

        if (failure is OperationCanceledException)
        {
            await DisposeAllAsync(opened).ConfigureAwait(false);
            throw failure;
        }

        return opened;
    }

    /// <summary>Closes each extra session's handle, then the session.</summary>
    private static async Task DisposeAllAsync(List<(SftpClient Client, SftpFile File)> siblings)
    {
        foreach ((SftpClient sibling, SftpFile file) in siblings)
        {
            await file.DisposeAsync().ConfigureAwait(false);
            await sibling.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task PumpAsync(SftpFile[] remotes, SafeFileHandle local, long start, long size, int block, int depth, ProgressTracker progress, string file, CancellationToken cancellationToken)
    {
        var acks = Channel.CreateUnbounded<Ack>(new UnboundedChannelOptions { SingleReader = true });
        var acknowledged = new SortedDictionary<long, long>();
        int[] perHandle = new int[remotes.Length];
        long next = start;
        long contiguous = start;
        int inFlight = 0;
        bool completed = false;
        try
        {
            while (true)
            {
                while (inFlight < depth && next < size)
                {
                    int length = (int)Math.Min(block, size - next);
                    int target = Array.IndexOf(perHandle, perHandle.Min());
                    SftpFile remote = remotes[target];
                    SftpPacketWriter packet = remote.StartWrite(next, length, out uint id);
                    int filled;
                    try
                    {
                        filled = await LocalFiles.ReadFullyAsync(local, packet.ReserveBytes(length), next, cancellationToken).ConfigureAwait(false);
                    }
                    catch
                    {
                        packet.Dispose();
                        throw;
                    }

                    if (filled == 0)
                    {
                        // The local file shrank under us: it ends here.
                        packet.Dispose();
                        size = next;
                        break;
                    }

                    packet.CommitBytes(filled);
                    // Not cancelled with the transfer: a write in flight is waited for, so the truncation on failure comes after it.
                    Task<SftpReply> reply = remote.Client.Session.RequestAsync(packet, id, CancellationToken.None);
                    _ = AcknowledgeAsync(reply, target, next, filled, acks.Writer);
                    inFlight++;
                    perHandle[target]++;
                    next += filled;
                }

                if (inFlight == 0)
                {
                    completed = true;
                    return;
                }

                Ack ack = await acks.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                inFlight--;
                perHandle[ack.Handle]--;
                if (ack.Error is not null)
                {
                    throw ack.Error;
                }

                acknowledged[ack.Offset] = ack.Length;
                while (acknowledged.Remove(contiguous, out long length))
                {
                    contiguous += length;
                }

                progress.Add(ack.Length, file);
            }
        }
        finally
        {
            if (!completed)
            {
                await TruncateToAcknowledgedAsync(remotes[0], acks.Reader, inFlight, acknowledged, contiguous).ConfigureAwait(false);
            }
        }
    }

    private static async Task TruncateToAcknowledgedAsync(SftpFile remote, ChannelReader<Ack> acks, int inFlight, SortedDictionary<long, long> acknowledged, long contiguous)
    {
        // Let the writes in flight settle (answered, failed, or the session ended) so none lands after the truncation.
        try
        {
            for (; inFlight > 0; inFlight--)
            {
                Ack ack = await acks.ReadAsync(CancellationToken.None).ConfigureAwait(false);
                if (ack.Error is null)
                {
                    acknowledged[ack.Offset] = ack.Length;
                }
            }

            while (acknowledged.Remove(contiguous, out long length))
            {
                contiguous += length;
            }

            await remote.SetStatAsync(new SftpAttributes { Size = (ulong)contiguous }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (SshException)
        {
            // Best effort: the session may be gone.
        }
    }

    private static async Task AcknowledgeAsync(Task<SftpReply> reply, int handle, long offset, int length, ChannelWriter<Ack> acks)
    {
        Exception? error = null;
        try
        {
            using SftpReply r = await reply.ConfigureAwait(false);
            SftpClient.CheckOk(r);
        }
        catch (Exception e)
        {
            error = e;
        }

        acks.TryWrite(new Ack(handle, offset, length, error));
    }

    private readonly record struct Ack(int Handle, long Offset, int Length, Exception? Error);
}
