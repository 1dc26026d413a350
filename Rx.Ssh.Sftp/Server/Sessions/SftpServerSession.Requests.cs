using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp.Server.Sessions;

/// <content>Running one request: the version 3 requests here, the extensions in <c>.Extensions</c>.</content>
internal sealed partial class SftpServerSession
{
    private async Task ExecuteAsync(SftpRequest r, OpenHandle? handle, OpenHandle? handle2)
    {
        try
        {
            await (r.Type switch
            {
                SftpPacketType.Open => OpenAsync(r),
                SftpPacketType.Close => WithHandle(r, handle, CloseAsync),
                SftpPacketType.Read => WithFile(r, handle, ReadAsync),
                SftpPacketType.Write => WithFile(r, handle, WriteAsync),
                SftpPacketType.Fstat => WithFile(r, handle, async (r, h) => await SendAttrsAsync(r.Id, await h.File!.GetAttributesAsync(_cancellation).ConfigureAwait(false)).ConfigureAwait(false)),
                SftpPacketType.Fsetstat => WithFile(r, handle, async (r, h) =>
                {
                    await h.File!.SetAttributesAsync(SftpConvert.FromWire(r.Attributes), _cancellation).ConfigureAwait(false);
                    await SendOkAsync(r.Id).ConfigureAwait(false);
                }),
                SftpPacketType.Opendir => OpenDirectoryAsync(r),
                SftpPacketType.Readdir => WithHandle(r, handle, ReadDirectoryAsync),
                SftpPacketType.Stat or SftpPacketType.Lstat => StatAsync(r),
                SftpPacketType.Setstat => Ok(r, _fs.SetAttributesAsync(r.Path!, SftpConvert.FromWire(r.Attributes), followLinks: true, _cancellation)),
                SftpPacketType.Mkdir => Ok(r, _fs.CreateDirectoryAsync(r.Path!, SftpConvert.FromWire(r.Attributes), _cancellation)),
                SftpPacketType.Rmdir => Ok(r, _fs.RemoveDirectoryAsync(r.Path!, _cancellation)),
                SftpPacketType.Remove => Ok(r, _fs.RemoveFileAsync(r.Path!, _cancellation)),
                SftpPacketType.Rename => Ok(r, _fs.RenameAsync(r.Path!, r.Path2!, replace: false, _cancellation)),

                // OpenSSH's order (target first, then the link's path), or the draft's from a client that sends it (SftpSymlinkOrder).
                SftpPacketType.Symlink => Ok(r, _linkFirst
                    ? _fs.CreateSymbolicLinkAsync(r.Path!, r.Path2!, _cancellation)
                    : _fs.CreateSymbolicLinkAsync(r.Path2!, r.Path!, _cancellation)),
                SftpPacketType.Readlink => PathReplyAsync(r, _fs.ReadLinkAsync(r.Path!, _cancellation)),
                SftpPacketType.Realpath => PathReplyAsync(r, _fs.RealPathAsync(r.Path!, _cancellation)),
                SftpPacketType.Extended => ExtendedAsync(r, handle, handle2),
                _ => SendStatusAsync(r.Id, SftpStatusCode.OperationUnsupported, $"Unsupported request type {(byte)r.Type}"),
            }).ConfigureAwait(false);
        }
        catch (Exception ex) when (!_cancellation.IsCancellationRequested || ex is not OperationCanceledException)
        {
            (SftpStatusCode code, string message) = SftpConvert.ToStatus(ex);
            if (r.AckAfter is not null)
            {
                await r.AckAfter.ConfigureAwait(false);
            }

            await SendStatusAsync(r.Id, code, message).ConfigureAwait(false);
        }
        finally
        {
            r.AckDone?.TrySetResult();
        }
    }

    private async Task Ok(SftpRequest r, ValueTask operation)
    {
        await operation.ConfigureAwait(false);
        await SendOkAsync(r.Id).ConfigureAwait(false);
    }

    private async Task PathReplyAsync(SftpRequest r, ValueTask<string> operation) =>
        await SendPathAsync(r.Id, await operation.ConfigureAwait(false)).ConfigureAwait(false);

    private Task WithHandle(SftpRequest r, OpenHandle? handle, Func<SftpRequest, OpenHandle, Task> run) =>
        handle is null || handle.Closed ? SendInvalidHandleAsync(r.Id) : run(r, handle);

    private Task WithFile(SftpRequest r, OpenHandle? handle, Func<SftpRequest, OpenHandle, Task> run) =>
        handle is null || handle.Closed || handle.File is null ? SendInvalidHandleAsync(r.Id) : run(r, handle);

    private async Task StatAsync(SftpRequest r)
    {
        FileSystemAttributes attributes = await _fs.GetAttributesAsync(r.Path!, followLinks: r.Type == SftpPacketType.Stat, _cancellation).ConfigureAwait(false);
        await SendAttrsAsync(r.Id, attributes).ConfigureAwait(false);
    }

    private async Task OpenAsync(SftpRequest r)
    {
        if (!_handles.TryReserve())
        {
            await SendStatusAsync(r.Id, SftpStatusCode.Failure, $"Too many open handles (at most {_options.MaxOpenHandles})").ConfigureAwait(false);
            return;
        }

        SftpOpenFile file;
        try
        {
            file = await _fs.OpenFileAsync(r.Path!, SftpConvert.ToOpenFlags(r.Flags), SftpConvert.FromWire(r.Attributes), _cancellation).ConfigureAwait(false);
        }
        catch
        {
            _handles.Release();
            throw;
        }

        await SendHandleAsync(r.Id, _handles.Add(file, null)).ConfigureAwait(false);
    }

    private async Task OpenDirectoryAsync(SftpRequest r)
    {
        if (!_handles.TryReserve())
        {
            await SendStatusAsync(r.Id, SftpStatusCode.Failure, $"Too many open handles (at most {_options.MaxOpenHandles})").ConfigureAwait(false);
            return;
        }

        SftpOpenDirectory directory;
        try
        {
            directory = await _fs.OpenDirectoryAsync(r.Path!, _cancellation).ConfigureAwait(false);
        }
        catch
        {
            _handles.Release();
            throw;
        }

        await SendHandleAsync(r.Id, _handles.Add(null, directory)).ConfigureAwait(false);
    }

    private async Task CloseAsync(SftpRequest r, OpenHandle handle)
    {
        handle.Closed = true;
        _handles.Remove(handle);
        await handle.DisposeAsync().ConfigureAwait(false);
        await SendOkAsync(r.Id).ConfigureAwait(false);
    }

    private async Task ReadAsync(SftpRequest r, OpenHandle handle)
    {
        int length = (int)Math.Min(r.Length, (ulong)_options.MaxDataLength);
        if (r.Offset > long.MaxValue || length == 0)
        {
            await r.AckAfter!.ConfigureAwait(false);
            await SendStatusAsync(r.Id, r.Offset > long.MaxValue ? SftpStatusCode.Eof : SftpStatusCode.Failure, r.Offset > long.MaxValue ? "End of file" : "Zero-length read").ConfigureAwait(false);
            return;
        }

        using var w = SftpPacketWriter.WithId(SftpPacketType.Data, r.Id, _replyLimit, capacity: length + 13);
        Memory<byte> space = w.ReserveBytes(length);
        int read = await handle.File!.ReadAsync((long)r.Offset, space, _cancellation).ConfigureAwait(false);
        await r.AckAfter!.ConfigureAwait(false);
        if (read == 0)
        {
            await SendStatusAsync(r.Id, SftpStatusCode.Eof, "End of file").ConfigureAwait(false);
            return;
        }

        w.CommitBytes(read);
        await SendAsync(w).ConfigureAwait(false);
    }

    private async Task WriteAsync(SftpRequest r, OpenHandle handle)
    {
        if (r.Offset > long.MaxValue - (ulong)r.Data.Length)
        {
            await r.AckAfter!.ConfigureAwait(false);
            await SendStatusAsync(r.Id, SftpStatusCode.Failure, "Offset too large").ConfigureAwait(false);
            return;
        }

        await handle.File!.WriteAsync((long)r.Offset, r.Data, _cancellation).ConfigureAwait(false);
        await r.AckAfter!.ConfigureAwait(false);
        await SendOkAsync(r.Id).ConfigureAwait(false);
    }

    // Entries left from the last reply first, then one batch from the file system; as many as fit under the packet budget.
    private async Task ReadDirectoryAsync(SftpRequest r, OpenHandle handle)
    {
        if (handle.Directory is null)
        {
            await SendInvalidHandleAsync(r.Id).ConfigureAwait(false);
            return;
        }

        if (handle.PendingEntries.Count == 0 && !handle.DirectoryDone)
        {
            IReadOnlyList<DirectoryEntry> batch = await handle.Directory.ReadAsync(_options.DirectoryBatchSize, _cancellation).ConfigureAwait(false);
            foreach (DirectoryEntry entry in batch)
            {
                handle.PendingEntries.Enqueue(entry);
            }

            handle.DirectoryDone = batch.Count == 0;
        }

        if (handle.PendingEntries.Count == 0)
        {
            await SendStatusAsync(r.Id, SftpStatusCode.Eof, "End of directory").ConfigureAwait(false);
            return;
        }

        var names = new List<SftpName>();
        int size = 13;
        while (handle.PendingEntries.TryPeek(out DirectoryEntry? entry))
        {
            string longName = entry.LongName ?? LongName.Format(entry.Name, entry.Attributes, null, null);
            int entrySize = 8 + System.Text.Encoding.UTF8.GetByteCount(entry.Name) + System.Text.Encoding.UTF8.GetByteCount(longName) + 36;
            if (names.Count > 0 && size + entrySize > NameReplyBudget)
            {
                break;
            }

            handle.PendingEntries.Dequeue();
            names.Add(new SftpName(entry.Name, longName, SftpConvert.ToWire(entry.Attributes)));
            size += entrySize;
        }

        using var w = SftpPacketWriter.WithId(SftpPacketType.Name, r.Id, _replyLimit, capacity: size);
        SftpNameReply.Write(w, names);
        await SendAsync(w).ConfigureAwait(false);
    }
}
