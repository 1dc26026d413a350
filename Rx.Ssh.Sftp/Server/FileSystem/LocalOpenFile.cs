using Microsoft.Win32.SafeHandles;

namespace Rx.Ssh.Sftp.Server.FileSystem;

/// <summary>An open local file: positional reads and writes through <see cref="RandomAccess"/> (concurrent-safe), attributes through libc.</summary>
internal sealed class LocalOpenFile : SftpOpenFile
{
    private readonly SafeFileHandle _handle;

    public LocalOpenFile(SafeFileHandle handle) => _handle = handle;

    public override async ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            int total = 0;
            while (total < buffer.Length)
            {
                int read = await RandomAccess.ReadAsync(_handle, buffer[total..], offset + total, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return total;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw FileSystemErrors.ToException(ex);
        }
    }

    public override async ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        try
        {
            await RandomAccess.WriteAsync(_handle, data, offset, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw FileSystemErrors.ToException(ex);
        }
    }

    public override ValueTask<FileSystemAttributes> GetAttributesAsync(CancellationToken cancellationToken) => Sync(() => Posix.Stat(_handle));

    public override ValueTask SetAttributesAsync(FileSystemAttributes attributes, CancellationToken cancellationToken) =>
        SyncVoid(() => Posix.SetAttributes(_handle, attributes));

    public override ValueTask SyncAsync(CancellationToken cancellationToken) => SyncVoid(() => Posix.Sync(_handle));

    public override ValueTask<FileSystemSpace> GetSpaceAsync(CancellationToken cancellationToken) => Sync(() => Posix.Space(_handle));

    protected override ValueTask DisposeAsyncCore()
    {
        _handle.Dispose();
        return ValueTask.CompletedTask;
    }

    private static ValueTask<T> Sync<T>(Func<T> call)
    {
        try
        {
            return ValueTask.FromResult(call());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            return ValueTask.FromException<T>(FileSystemErrors.ToException(ex));
        }
    }

    private static ValueTask SyncVoid(Action call)
    {
        try
        {
            call();
            return ValueTask.CompletedTask;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            return ValueTask.FromException(FileSystemErrors.ToException(ex));
        }
    }
}
