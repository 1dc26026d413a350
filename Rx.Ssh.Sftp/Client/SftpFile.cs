using Rx.Ssh.Sftp.Client;
using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp;

/// <summary>
/// An open remote file (a handle from <see cref="SftpClient.OpenAsync"/>). Reads and writes are
/// positional, so any number may be in flight at once. Dispose (or <see cref="CloseAsync"/>) to
/// close the handle on the server.
/// </summary>
public sealed class SftpFile : IAsyncDisposable
{
    private readonly SftpClient _client;
    private int _closed;

    internal SftpFile(SftpClient client, string path, byte[] handle)
    {
        _client = client;
        Path = path;
        Handle = handle;
    }

    /// <summary>The path it was opened with.</summary>
    public string Path { get; }

    internal byte[] Handle { get; }

    internal SftpClient Client => _client;

    /// <summary>
    /// READ: up to <paramref name="buffer"/>'s length (capped at <see cref="SftpClient.ReadBlockSize"/>)
    /// from <paramref name="offset"/>. A server may return fewer bytes than asked before the end.
    /// </summary>
    /// <param name="offset">The file offset.</param>
    /// <param name="buffer">Where the data goes.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The bytes read; 0 at end of file.</returns>
    /// <exception cref="SftpException">The server's failure.</exception>
    public async Task<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        int length = Math.Min(buffer.Length, _client.ReadBlockSize);
        if (length == 0)
        {
            return 0;
        }

        using SftpReply reply = await _client.Session.RequestAsync(StartRead(offset, length, out uint id), id, cancellationToken).ConfigureAwait(false);
        return CopyData(reply, buffer.Span[..length]);
    }

    /// <summary>
    /// WRITE: <paramref name="data"/> at <paramref name="offset"/>, in requests of
    /// <see cref="SftpClient.WriteBlockSize"/> sent together (acknowledged in any order).
    /// </summary>
    /// <param name="offset">The file offset.</param>
    /// <param name="data">The bytes.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when every part was confirmed.</returns>
    /// <exception cref="SftpException">The server's failure.</exception>
    public async Task WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        int block = _client.WriteBlockSize;
        var parts = new List<Task>((data.Length / block) + 1);
        for (int done = 0; done < data.Length || (data.Length == 0 && parts.Count == 0); done += block)
        {
            ReadOnlyMemory<byte> part = data.Slice(done, Math.Min(block, data.Length - done));
            SftpPacketWriter w = StartWrite(offset + done, part.Length, out uint id);
            part.Span.CopyTo(w.ReserveBytes(part.Length).Span);
            w.CommitBytes(part.Length);
            parts.Add(_client.StatusAsync(w, id, cancellationToken));
        }

        await Task.WhenAll(parts).ConfigureAwait(false);
    }

    /// <summary>FSTAT: the open file's attributes.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The attributes.</returns>
    /// <exception cref="SftpException">The server's failure.</exception>
    public Task<SftpAttributes> StatAsync(CancellationToken cancellationToken = default)
    {
        (SftpPacketWriter w, uint id) = StartHandle(SftpPacketType.Fstat);
        return _client.AttrsAsync(w, id, cancellationToken);
    }

    /// <summary>FSETSTAT: changes the open file's attributes (null fields left alone).</summary>
    /// <param name="attributes">The attributes to change.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when the server confirmed.</returns>
    /// <exception cref="SftpException">The server's failure.</exception>
    public Task SetStatAsync(SftpAttributes attributes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        (SftpPacketWriter w, uint id) = StartHandle(SftpPacketType.Fsetstat);
        attributes.Write(w);
        return _client.StatusAsync(w, id, cancellationToken);
    }

    /// <summary><c>fsync@openssh.com</c>: flushes the file to stable storage on the server.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when the server confirmed.</returns>
    /// <exception cref="SftpException">The server's failure, or <see cref="SftpStatusCode.OperationUnsupported"/> without the extension.</exception>
    public Task FsyncAsync(CancellationToken cancellationToken = default)
    {
        (SftpPacketWriter w, uint id) = _client.StartExtended(SftpExtensionNames.Fsync);
        w.WriteBytes(Handle);
        return _client.StatusAsync(w, id, cancellationToken);
    }

    /// <summary><c>fstatvfs@openssh.com</c>: statistics of the file system holding the open file.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="SftpException">The server's failure, or <see cref="SftpStatusCode.OperationUnsupported"/> without the extension.</exception>
    public async Task<SftpStatVfs> StatVfsAsync(CancellationToken cancellationToken = default)
    {
        (SftpPacketWriter w, uint id) = _client.StartExtended(SftpExtensionNames.FStatVfs);
        w.WriteBytes(Handle);
        using SftpReply reply = await _client.ExtendedReplyAsync(w, id, cancellationToken).ConfigureAwait(false);
        return SftpClient.DecodeStatVfs(reply);
    }

    /// <summary>CLOSE: closes the handle (once; later calls do nothing).</summary>
    /// <param name="cancellationToken">Stops waiting (the close is still sent).</param>
    /// <returns>Completes when the server confirmed.</returns>
    /// <exception cref="SftpException">The server's failure (a write-back error may show here).</exception>
    public Task CloseAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return Task.CompletedTask;
        }

        (SftpPacketWriter w, uint id) = StartHandle(SftpPacketType.Close);
        return _client.StatusAsync(w, id, cancellationToken);
    }

    /// <summary>Closes the handle, ignoring a failure (the session having ended included).</summary>
    /// <returns>Completes when the close was answered or the session ended.</returns>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAsync().ConfigureAwait(false);
        }
        catch (SshException)
        {
        }
    }

    internal SftpPacketWriter StartRead(long offset, int length, out uint id)
    {
        (SftpPacketWriter w, id) = StartHandle(SftpPacketType.Read);
        w.WriteUInt64((ulong)offset);
        w.WriteUInt32((uint)length);
        return w;
    }

    internal SftpPacketWriter StartWrite(long offset, int length, out uint id)
    {
        (SftpPacketWriter w, id) = _client.Session.Start(SftpPacketType.Write, 32 + Handle.Length + length);
        w.WriteBytes(Handle);
        w.WriteUInt64((ulong)offset);
        return w;
    }

    /// <summary>Copies a DATA reply into <paramref name="destination"/>: its length, or 0 for an EOF status.</summary>
    internal static int CopyData(SftpReply reply, Span<byte> destination)
    {
        if (reply.Type == SftpPacketType.Data)
        {
            SftpPacketReader reader = reply.Reader();
            ReadOnlySpan<byte> data = reader.ReadBytes();
            reader.ReadEnd();
            if (data.Length > destination.Length)
            {
                throw new SftpProtocolException($"SFTP server sent {data.Length} bytes for a read of {destination.Length}");
            }

            data.CopyTo(destination);
            return data.Length;
        }

        if (reply.Type == SftpPacketType.Status)
        {
            SftpPacketReader reader = reply.Reader();
            SftpStatusReply status = SftpStatusReply.Read(ref reader);
            if (status.Code == SftpStatusCode.Eof)
            {
                return 0;
            }
        }

        throw reply.Unexpected("DATA");
    }

    private (SftpPacketWriter Writer, uint Id) StartHandle(SftpPacketType type)
    {
        (SftpPacketWriter w, uint id) = _client.Session.Start(type, 64 + Handle.Length);
        w.WriteBytes(Handle);
        return (w, id);
    }
}
