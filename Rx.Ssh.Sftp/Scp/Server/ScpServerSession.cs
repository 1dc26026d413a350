using System.Buffers;
using System.Text;
using Rx.Ssh.Sftp.Paths;
using Rx.Ssh.Sftp.Scp.Protocol;
using Rx.Ssh.Sftp.Server;

namespace Rx.Ssh.Sftp.Scp.Server;

/// <summary>
/// One <c>scp -t</c> (sink) or <c>scp -f</c> (source) run over a <see cref="SftpFileSystem"/>.
/// Errors about one file go back as <c>\x01scp: ...</c> warning lines and the copy goes on;
/// a protocol violation is answered with a <c>\x02scp: ...</c> fatal line and ends it. The exit
/// status is 0 when every file was copied, 1 otherwise.
/// </summary>
internal sealed class ScpServerSession(
    ScpCommand command,
    SftpFileSystem fileSystem,
    Func<Memory<byte>, CancellationToken, ValueTask<int>> read,
    Func<ReadOnlyMemory<byte>, CancellationToken, Task> write)
{
    private const int MaxDepth = 128;
    private const int BlockSize = 256 * 1024;

    private readonly ScpReader _reader = new(read);
    private bool _failed;

    /// <summary>Runs the copy; the exit status.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (command.Sink)
            {
                await SinkAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await SourceAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ScpProtocolException ex)
        {
            await SendAsync("\x02scp: " + ex.Message + "\n", cancellationToken).ConfigureAwait(false);
            return 1;
        }

        return _failed ? 1 : 0;
    }

    // ---- sink: the client uploads ----
    private async Task SinkAsync(CancellationToken cancellationToken)
    {
        string target = command.Paths[0].Path;
        bool targetIsDirectory = await IsDirectoryAsync(target, cancellationToken).ConfigureAwait(false);
        if (command.TargetIsDirectory && !targetIsDirectory)
        {
            await SendAsync($"\x02scp: {target}: Not a directory\n", cancellationToken).ConfigureAwait(false);
            _failed = true;
            return;
        }

        await SendAsync("\0", cancellationToken).ConfigureAwait(false);
        await SinkDirectoryAsync(target, targetIsDirectory, 0, cancellationToken).ConfigureAwait(false);
    }

    // Reads records until E (inside a D) or the end of the stream (at the top).
    private async Task SinkDirectoryAsync(string target, bool targetIsDirectory, int depth, CancellationToken cancellationToken)
    {
        ScpControlLine? times = null;
        while (true)
        {
            int first = await _reader.ReadByteAsync(cancellationToken).ConfigureAwait(false);
            if (first < 0)
            {
                if (depth > 0)
                {
                    throw new ScpProtocolException("connection closed inside a directory");
                }

                return;
            }

            string rest = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? string.Empty;
            if (first is 1 or 2)
            {
                // The client could not send something; a fatal line ends the copy.
                _failed = true;
                if (first == 2)
                {
                    return;
                }

                continue;
            }

            ScpControlLine line = ScpControlLine.Parse((char)first + rest);
            switch (line.Kind)
            {
                case ScpLineKind.Times:
                    times = line;
                    await SendAsync("\0", cancellationToken).ConfigureAwait(false);
                    continue;
                case ScpLineKind.EndDirectory:
                    if (depth == 0)
                    {
                        throw new ScpProtocolException("unexpected E line");
                    }

                    await SendAsync("\0", cancellationToken).ConfigureAwait(false);
                    return;
                case ScpLineKind.Directory:
                    if (!command.Recursive)
                    {
                        throw new ScpProtocolException("received directory without -r");
                    }

                    if (depth >= MaxDepth)
                    {
                        throw new ScpProtocolException("directories nested too deeply");
                    }

                    await SinkSubdirectoryAsync(targetIsDirectory ? SftpPath.Combine(target, line.Name) : target, line, times, depth, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await SinkFileAsync(targetIsDirectory ? SftpPath.Combine(target, line.Name) : target, line, times, cancellationToken).ConfigureAwait(false);
                    break;
            }

            times = null;
        }
    }

    private async Task SinkSubdirectoryAsync(string path, ScpControlLine line, ScpControlLine? times, int depth, CancellationToken cancellationToken)
    {
        try
        {
            FileSystemAttributes? existing = await TryStatAsync(path, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                await fileSystem.CreateDirectoryAsync(path, new FileSystemAttributes { Permissions = line.Mode | 0x1C0 }, cancellationToken).ConfigureAwait(false);
            }
            else if (existing.Type != FileSystemEntryType.Directory)
            {
                throw new SftpFileSystemException(FileSystemError.NotDirectory, "Not a directory");
            }
        }
        catch (SftpFileSystemException ex)
        {
            // Refused: the client skips the directory's content.
            await WarnAsync(path, ex.Message, cancellationToken).ConfigureAwait(false);
            return;
        }

        await SendAsync("\0", cancellationToken).ConfigureAwait(false);
        await SinkDirectoryAsync(path, true, depth + 1, cancellationToken).ConfigureAwait(false);
        if (command.Preserve)
        {
            await SetTimesAndModeAsync(path, line.Mode, times, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SinkFileAsync(string path, ScpControlLine line, ScpControlLine? times, CancellationToken cancellationToken)
    {
        SftpOpenFile file;
        try
        {
            file = await fileSystem.OpenFileAsync(path, SftpOpenFlags.Write | SftpOpenFlags.Create | SftpOpenFlags.Truncate, new FileSystemAttributes { Permissions = line.Mode }, cancellationToken).ConfigureAwait(false);
        }
        catch (SftpFileSystemException ex)
        {
            // Refused before the data: the client does not send it.
            await WarnAsync(path, ex.Message, cancellationToken).ConfigureAwait(false);
            return;
        }

        string? error = null;
        await using (file.ConfigureAwait(false))
        {
            await SendAsync("\0", cancellationToken).ConfigureAwait(false);
            try
            {
                await ReadFileDataAsync(file, line.Size, e => error ??= e, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ScpProtocolException or OperationCanceledException or IOException or SshException)
            {
                // The stream ended (or the copy was cancelled) inside the file: what arrived is not the file, so it is not left as if complete.
                await file.DisposeAsync().ConfigureAwait(false);
                await TryRemoveAsync(path).ConfigureAwait(false);
                throw;
            }
        }

        bool complete;
        try
        {
            complete = await ReadAckAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ScpProtocolException)
        {
            // No verdict after the data (garbage, or the stream ended): not kept as if complete.
            await TryRemoveAsync(path).ConfigureAwait(false);
            throw;
        }

        if (!complete)
        {
            // The client's read of its file failed: what arrived is not the file.
            _failed = true;
            await TryRemoveAsync(path).ConfigureAwait(false);
            return;
        }

        if (error is null && command.Preserve)
        {
            error = await SetTimesAndModeAsync(path, line.Mode, times, cancellationToken).ConfigureAwait(false);
        }

        if (error is not null)
        {
            await WarnAsync(path, error, cancellationToken).ConfigureAwait(false);
            return;
        }

        await SendAsync("\0", cancellationToken).ConfigureAwait(false);
    }

    private async Task ReadFileDataAsync(SftpOpenFile file, long size, Action<string> fail, CancellationToken cancellationToken)
    {
        long offset = 0;
        string? error = null;
        await _reader.ReadDataAsync(size, async data =>
            {
                if (error is null)
                {
                    try
                    {
                        await file.WriteAsync(offset, data, cancellationToken).ConfigureAwait(false);
                    }
                    catch (SftpFileSystemException ex)
                    {
                        // Keep reading the data so the stream stays in step; report after it.
                        error = ex.Message;
                    }
                }

                offset += data.Length;
            }, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            fail(error);
        }
    }

    private async Task TryRemoveAsync(string path)
    {
        try
        {
            await fileSystem.RemoveFileAsync(path, CancellationToken.None).ConfigureAwait(false);
        }
        catch (SftpFileSystemException)
        {
            // Nothing more can be done; the copy already failed.
        }
    }

    private async Task<string?> SetTimesAndModeAsync(string path, uint mode, ScpControlLine? times, CancellationToken cancellationToken)
    {
        try
        {
            var attributes = new FileSystemAttributes
            {
                Permissions = mode,
                ModifyTime = times is null ? null : DateTimeOffset.FromUnixTimeSeconds(times.ModifyTime),
                AccessTime = times is null ? null : DateTimeOffset.FromUnixTimeSeconds(times.AccessTime),
            };
            await fileSystem.SetAttributesAsync(path, attributes, true, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (SftpFileSystemException ex)
        {
            return ex.Message;
        }
    }

    // ---- source: the client downloads ----
    private async Task SourceAsync(CancellationToken cancellationToken)
    {
        if (!await ReadAckAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        foreach (ScpCommandPath argument in command.Paths)
        {
            IReadOnlyList<string> paths = argument.Quoted ? [argument.Path] : await ExpandAsync(argument.Path, cancellationToken).ConfigureAwait(false);
            foreach (string path in paths)
            {
                FileSystemAttributes attributes;
                try
                {
                    attributes = await fileSystem.GetAttributesAsync(path, true, cancellationToken).ConfigureAwait(false);
                }
                catch (SftpFileSystemException ex)
                {
                    await WarnAsync(path, ex.Message, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!await SendEntryAsync(path, SftpPath.GetFileName(path), attributes, 0, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
    }

    // Sends one file or directory; false when the client sent a fatal error (stop).
    private async Task<bool> SendEntryAsync(string path, string name, FileSystemAttributes attributes, int depth, CancellationToken cancellationToken)
    {
        if (name.Length == 0 || name is "." or ".." || name.Contains('\n', StringComparison.Ordinal))
        {
            await WarnAsync(path, "cannot send this name", cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (attributes.Type == FileSystemEntryType.Directory)
        {
            if (!command.Recursive)
            {
                await WarnAsync(path, "not a regular file", cancellationToken).ConfigureAwait(false);
                return true;
            }

            return await SendDirectoryAsync(path, name, attributes, depth, cancellationToken).ConfigureAwait(false);
        }

        if (attributes.Type != FileSystemEntryType.RegularFile)
        {
            await WarnAsync(path, "not a regular file", cancellationToken).ConfigureAwait(false);
            return true;
        }

        return await SendFileAsync(path, name, attributes, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> SendTimesAsync(FileSystemAttributes attributes, CancellationToken cancellationToken)
    {
        if (!command.Preserve)
        {
            return true;
        }

        var times = new ScpControlLine(
            ScpLineKind.Times,
            ModifyTime: Math.Max(0, attributes.ModifyTime?.ToUnixTimeSeconds() ?? 0),
            AccessTime: Math.Max(0, attributes.AccessTime?.ToUnixTimeSeconds() ?? 0));
        await SendAsync(times.Format(), cancellationToken).ConfigureAwait(false);
        return await ReadAckAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> SendFileAsync(string path, string name, FileSystemAttributes attributes, CancellationToken cancellationToken)
    {
        SftpOpenFile file;
        try
        {
            file = await fileSystem.OpenFileAsync(path, SftpOpenFlags.Read, FileSystemAttributes.Empty, cancellationToken).ConfigureAwait(false);
        }
        catch (SftpFileSystemException ex)
        {
            await WarnAsync(path, ex.Message, cancellationToken).ConfigureAwait(false);
            return true;
        }

        await using (file.ConfigureAwait(false))
        {
            if (!await SendTimesAsync(attributes, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            long size = attributes.Size ?? 0;
            await SendAsync(new ScpControlLine(ScpLineKind.File, (attributes.Permissions ?? 0x1A4) & 0xDFF, size, name).Format(), cancellationToken).ConfigureAwait(false);
            if (!await ReadAckAsync(cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            // Exactly the announced size: a file that shrank is padded with zeros and reported.
            byte[] buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
            string? error = null;
            try
            {
                long offset = 0;
                while (offset < size)
                {
                    int wanted = (int)Math.Min(BlockSize, size - offset);
                    int got = 0;
                    if (error is null)
                    {
                        try
                        {
                            got = await file.ReadAsync(offset, buffer.AsMemory(0, wanted), cancellationToken).ConfigureAwait(false);
                            if (got == 0)
                            {
                                error = "file shrank while being sent";
                            }
                        }
                        catch (SftpFileSystemException ex)
                        {
                            error = ex.Message;
                        }
                    }

                    if (got == 0)
                    {
                        Array.Clear(buffer, 0, wanted);
                        got = wanted;
                    }

                    await write(buffer.AsMemory(0, got), cancellationToken).ConfigureAwait(false);
                    offset += got;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            if (error is null)
            {
                await SendAsync("\0", cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await WarnAsync(path, error, cancellationToken).ConfigureAwait(false);
            }

            await ReadAckAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
    }

    private async Task<bool> SendDirectoryAsync(string path, string name, FileSystemAttributes attributes, int depth, CancellationToken cancellationToken)
    {
        if (depth >= MaxDepth)
        {
            await WarnAsync(path, "directories nested too deeply", cancellationToken).ConfigureAwait(false);
            return true;
        }

        var entries = new List<DirectoryEntry>();
        try
        {
            SftpOpenDirectory directory = await fileSystem.OpenDirectoryAsync(path, cancellationToken).ConfigureAwait(false);
            await using (directory.ConfigureAwait(false))
            {
                while (true)
                {
                    IReadOnlyList<DirectoryEntry> batch = await directory.ReadAsync(1024, cancellationToken).ConfigureAwait(false);
                    if (batch.Count == 0)
                    {
                        break;
                    }

                    entries.AddRange(batch.Where(e => e.Name is not "." and not ".."));
                }
            }
        }
        catch (SftpFileSystemException ex)
        {
            await WarnAsync(path, ex.Message, cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (!await SendTimesAsync(attributes, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        await SendAsync(new ScpControlLine(ScpLineKind.Directory, (attributes.Permissions ?? 0x1ED) & 0xDFF, 0, name).Format(), cancellationToken).ConfigureAwait(false);
        if (!await ReadAckAsync(cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        foreach (DirectoryEntry entry in entries.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            string child = SftpPath.Combine(path, entry.Name);
            FileSystemAttributes childAttributes = entry.Attributes;
            if (childAttributes.Type == FileSystemEntryType.SymbolicLink || childAttributes.Permissions is null)
            {
                try
                {
                    childAttributes = await fileSystem.GetAttributesAsync(child, true, cancellationToken).ConfigureAwait(false);
                }
                catch (SftpFileSystemException ex)
                {
                    await WarnAsync(child, ex.Message, cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            if (!await SendEntryAsync(child, entry.Name, childAttributes, depth + 1, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        await SendAsync("E\n", cancellationToken).ConfigureAwait(false);
        await ReadAckAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    // Wildcards in any component expanded against the file system (sorted), as the remote shell
    // would; no match leaves the pattern as it is (then "No such file or directory").
    private async Task<IReadOnlyList<string>> ExpandAsync(string pattern, CancellationToken cancellationToken)
    {
        if (!SftpGlob.HasWildcard(pattern))
        {
            return [pattern];
        }

        string[] components = pattern.Split('/');
        List<string> prefixes = [pattern.StartsWith('/') ? "/" : string.Empty];
        foreach (string component in components.Where(c => c.Length > 0))
        {
            var next = new List<string>();
            foreach (string prefix in prefixes)
            {
                if (!SftpGlob.HasWildcard(component))
                {
                    next.Add(Join(prefix, component));
                    continue;
                }

                try
                {
                    SftpOpenDirectory directory = await fileSystem.OpenDirectoryAsync(prefix.Length == 0 ? "." : prefix, cancellationToken).ConfigureAwait(false);
                    await using (directory.ConfigureAwait(false))
                    {
                        var names = new List<string>();
                        IReadOnlyList<DirectoryEntry> batch;
                        while ((batch = await directory.ReadAsync(1024, cancellationToken).ConfigureAwait(false)).Count > 0)
                        {
                            names.AddRange(batch.Select(e => e.Name).Where(n => n is not "." and not ".." && (!n.StartsWith('.') || component.StartsWith('.')) && SftpGlob.IsMatch(component, n)));
                        }

                        next.AddRange(names.Order(StringComparer.Ordinal).Select(n => Join(prefix, n)));
                    }
                }
                catch (SftpFileSystemException)
                {
                    // An unreadable directory matches nothing.
                }
            }

            prefixes = next;
        }

        return prefixes.Count == 0 ? [pattern] : prefixes;
    }

    private static string Join(string prefix, string name) => prefix.Length == 0 ? name : SftpPath.Combine(prefix, name);

    // ---- shared ----
    private async Task<bool> ReadAckAsync(CancellationToken cancellationToken)
    {
        int b = await _reader.ReadByteAsync(cancellationToken).ConfigureAwait(false);
        switch (b)
        {
            case 0:
                return true;
            case 1:
            case 2:
                _ = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
                _failed = true;
                return false;
            case < 0:
                throw new ScpProtocolException("connection closed while waiting for an acknowledgement");
            default:
                throw new ScpProtocolException($"unexpected acknowledgement byte 0x{b:x2}");
        }
    }

    private async Task<bool> IsDirectoryAsync(string path, CancellationToken cancellationToken) =>
        (await TryStatAsync(path, cancellationToken).ConfigureAwait(false))?.Type == FileSystemEntryType.Directory;

    private async Task<FileSystemAttributes?> TryStatAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await fileSystem.GetAttributesAsync(path, true, cancellationToken).ConfigureAwait(false);
        }
        catch (SftpFileSystemException ex) when (ex.Error == FileSystemError.NoSuchFile)
        {
            return null;
        }
    }

    private Task WarnAsync(string path, string message, CancellationToken cancellationToken)
    {
        _failed = true;
        return SendAsync($"\x01scp: {ScpControlLine.Printable(path)}: {ScpControlLine.Printable(message)}\n", cancellationToken);
    }

    private Task SendAsync(string text, CancellationToken cancellationToken) => write(Encoding.UTF8.GetBytes(text), cancellationToken);
}
