namespace Rx.Ssh.Sftp.Server;

/// <summary>
/// An open file of an <see cref="SftpFileSystem"/>, behind one SFTP file handle. Reads and writes
/// are positional and may run concurrently (the server answers requests in parallel).
/// Disposing closes it; the server disposes every open file when the session ends. Members other
/// than <see cref="ReadAsync"/> and <see cref="WriteAsync"/> default to
/// <see cref="FileSystemError.OperationUnsupported"/>.
/// </summary>
public abstract class SftpOpenFile : IAsyncDisposable
{
    /// <summary>Reads at <paramref name="offset"/> into <paramref name="buffer"/>.</summary>
    /// <param name="offset">The file offset.</param>
    /// <param name="buffer">Where the bytes go.</param>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>Bytes read; 0 at end of file.</returns>
    public abstract ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Writes all of <paramref name="data"/> at <paramref name="offset"/> (at the end when opened with <see cref="SftpOpenFlags.Append"/>).</summary>
    /// <param name="offset">The file offset.</param>
    /// <param name="data">The bytes.</param>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>Completes when written.</returns>
    public abstract ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>The open file's attributes (FSTAT).</summary>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>The attributes.</returns>
    public virtual ValueTask<FileSystemAttributes> GetAttributesAsync(CancellationToken cancellationToken) =>
        throw SftpFileSystemException.Unsupported("fstat");

    /// <summary>Changes the open file's attributes (FSETSTAT): size, owner, permissions, times, each when given.</summary>
    /// <param name="attributes">What to change.</param>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>Completes when changed.</returns>
    public virtual ValueTask SetAttributesAsync(FileSystemAttributes attributes, CancellationToken cancellationToken) =>
        throw SftpFileSystemException.Unsupported("fsetstat");

    /// <summary>Flushes the file to stable storage (<c>fsync@openssh.com</c>).</summary>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>Completes when synced.</returns>
    public virtual ValueTask SyncAsync(CancellationToken cancellationToken) =>
        throw SftpFileSystemException.Unsupported("fsync");

    /// <summary>Statistics of the file system holding the file (<c>fstatvfs@openssh.com</c>).</summary>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>The statistics.</returns>
    public virtual ValueTask<FileSystemSpace> GetSpaceAsync(CancellationToken cancellationToken) =>
        throw SftpFileSystemException.Unsupported("fstatvfs");

    /// <summary>Closes the file.</summary>
    /// <returns>Completes when closed.</returns>
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes the file (override to release what it holds).</summary>
    /// <returns>Completes when closed.</returns>
    protected virtual ValueTask DisposeAsyncCore() => ValueTask.CompletedTask;
}
