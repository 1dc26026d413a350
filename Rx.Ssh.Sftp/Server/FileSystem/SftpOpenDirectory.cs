namespace Rx.Ssh.Sftp.Server;

/// <summary>
/// An open directory of an <see cref="SftpFileSystem"/>, behind one SFTP directory handle, read
/// in batches. Disposing closes it; the server disposes every open directory when the session ends.
/// </summary>
public abstract class SftpOpenDirectory : IAsyncDisposable
{
    /// <summary>The next entries, at most <paramref name="maxEntries"/> of them (the server asks for large batches).</summary>
    /// <param name="maxEntries">The most entries to return (at least 1).</param>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>The next entries; empty once every entry was returned.</returns>
    public abstract ValueTask<IReadOnlyList<DirectoryEntry>> ReadAsync(int maxEntries, CancellationToken cancellationToken);

    /// <summary>Closes the directory.</summary>
    /// <returns>Completes when closed.</returns>
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes the directory (override to release what it holds).</summary>
    /// <returns>Completes when closed.</returns>
    protected virtual ValueTask DisposeAsyncCore() => ValueTask.CompletedTask;
}
