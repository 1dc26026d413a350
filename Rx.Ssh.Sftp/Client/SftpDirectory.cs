using Rx.Ssh.Sftp.Client;
using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp;

/// <summary>
/// An open remote directory (a handle from <see cref="SftpClient.OpenDirectoryAsync"/>), read in
/// batches the server chooses. Dispose (or <see cref="CloseAsync"/>) to close the handle.
/// </summary>
public sealed class SftpDirectory : IAsyncDisposable
{
    private readonly SftpClient _client;
    private readonly byte[] _handle;
    private int _closed;

    internal SftpDirectory(SftpClient client, string path, byte[] handle)
    {
        _client = client;
        Path = path;
        _handle = handle;
    }

    /// <summary>The path it was opened with.</summary>
    public string Path { get; }

    /// <summary>READDIR: the next entries (<c>.</c> and <c>..</c> included, as the server sends them).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The next batch; null once every entry was read.</returns>
    /// <exception cref="SftpException">The server's failure.</exception>
    public async Task<IReadOnlyList<SftpName>?> ReadAsync(CancellationToken cancellationToken = default)
    {
        using SftpReply reply = await StartRead(cancellationToken).ConfigureAwait(false);
        return SftpClient.DecodeNames(reply);
    }

    /// <summary>Sends a READDIR and returns its pending reply (owned by the caller).</summary>
    internal Task<SftpReply> StartRead(CancellationToken cancellationToken)
    {
        (SftpPacketWriter w, uint id) = _client.Session.Start(SftpPacketType.Readdir, 64 + _handle.Length);
        w.WriteBytes(_handle);
        return _client.Session.RequestAsync(w, id, cancellationToken);
    }

    /// <summary>CLOSE: closes the handle (once).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when the server confirmed.</returns>
    /// <exception cref="SftpException">The server's failure.</exception>
    public Task CloseAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return Task.CompletedTask;
        }

        (SftpPacketWriter w, uint id) = _client.Session.Start(SftpPacketType.Close, 64 + _handle.Length);
        w.WriteBytes(_handle);
        return _client.StatusAsync(w, id, cancellationToken);
    }

    /// <summary>Closes the handle, ignoring a failure.</summary>
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
}
