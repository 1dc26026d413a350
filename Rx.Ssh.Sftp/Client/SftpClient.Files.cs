using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp;

// Opening files and the server-side copy.
public sealed partial class SftpClient
{
    /// <summary>OPEN: opens <paramref name="path"/> with <paramref name="flags"/>.</summary>
    /// <param name="path">The remote path.</param>
    /// <param name="flags">How to open it (e.g. <c>Write | Create | Truncate</c>).</param>
    /// <param name="attributes">The attributes of a file created (e.g. permissions); none when null.</param>
    /// <param name="cancellationToken">Stops waiting (a handle opened anyway is closed when its reply comes).</param>
    /// <returns>The open file, owned by the caller.</returns>
    /// <exception cref="SftpException">The server's failure.</exception>
    public async Task<SftpFile> OpenAsync(string path, SftpOpenFlags flags, SftpAttributes? attributes = null, CancellationToken cancellationToken = default)
    {
        (SftpPacketWriter w, uint id) = StartPath(SftpPacketType.Open, path);
        w.WriteUInt32((uint)flags);
        (attributes ?? SftpAttributes.Empty).Write(w);
        byte[] handle = await HandleAsync(w, id, cancellationToken).ConfigureAwait(false);
        return new SftpFile(this, path, handle);
    }

    /// <summary>
    /// Opens <paramref name="path"/> as a seekable <see cref="SftpFileStream"/> with read-ahead and
    /// write-behind, the way <see cref="File.Open(string, FileMode, FileAccess)"/> opens a local file.
    /// </summary>
    /// <param name="path">The remote path.</param>
    /// <param name="mode">How to open (<see cref="FileMode.Append"/> starts at the end).</param>
    /// <param name="access">Read, write, or both.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The stream, owned by the caller.</returns>
    /// <exception cref="SftpException">The server's failure.</exception>
    public async Task<SftpFileStream> OpenStreamAsync(string path, FileMode mode = FileMode.Open, FileAccess access = FileAccess.Read, CancellationToken cancellationToken = default)
    {
        SftpOpenFlags flags = (access.HasFlag(FileAccess.Read) ? SftpOpenFlags.Read : 0) | (access.HasFlag(FileAccess.Write) ? SftpOpenFlags.Write : 0);
        flags |= mode switch
        {
            FileMode.CreateNew => SftpOpenFlags.Create | SftpOpenFlags.Exclusive,
            FileMode.Create => SftpOpenFlags.Create | SftpOpenFlags.Truncate,
            FileMode.OpenOrCreate or FileMode.Append => SftpOpenFlags.Create,
            FileMode.Truncate => SftpOpenFlags.Truncate,
            _ => SftpOpenFlags.None,
        };
        SftpFile file = await OpenAsync(path, flags, null, cancellationToken).ConfigureAwait(false);
        int block = Math.Min(ReadBlockSize, WriteBlockSize);
        var stream = new SftpFileStream(file, access.HasFlag(FileAccess.Read), access.HasFlag(FileAccess.Write), block, Math.Max(4, RequestsInFlight(block) / 4));
        if (mode == FileMode.Append)
        {
            stream.Position = await stream.GetLengthAsync(cancellationToken).ConfigureAwait(false);
        }

        return stream;
    }

    /// <summary>
    /// <c>copy-data</c>: copies <paramref name="length"/> bytes (0: to end of file) from
    /// <paramref name="source"/> at <paramref name="sourceOffset"/> to <paramref name="destination"/>
    /// at <paramref name="destinationOffset"/>, on the server, without the data crossing the network.
    /// Both files must be open on this client (source for reading, destination for writing).
    /// </summary>
    /// <param name="source">The file read.</param>
    /// <param name="sourceOffset">Where reading starts.</param>
    /// <param name="length">How many bytes; 0 copies to end of file.</param>
    /// <param name="destination">The file written.</param>
    /// <param name="destinationOffset">Where writing starts.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when the server confirmed.</returns>
    /// <exception cref="SftpException">The server's failure, or <see cref="SftpStatusCode.OperationUnsupported"/> without the extension.</exception>
    public Task CopyDataAsync(SftpFile source, long sourceOffset, long length, SftpFile destination, long destinationOffset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfNegative(sourceOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfNegative(destinationOffset);
        (SftpPacketWriter w, uint id) = StartExtended(SftpExtensionNames.CopyData);
        new SftpCopyDataRequest(source.Handle, (ulong)sourceOffset, (ulong)length, destination.Handle, (ulong)destinationOffset).Write(w);
        return StatusAsync(w, id, cancellationToken);
    }
}
