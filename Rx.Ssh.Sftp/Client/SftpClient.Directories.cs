using System.Reactive.Linq;
using System.Runtime.CompilerServices;
using Rx.Ssh.Sftp.Client;
using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp;

// Directory listings: the handle form, and the streaming forms built on it.
public sealed partial class SftpClient
{
    /// <summary>OPENDIR: opens the directory <paramref name="path"/> for reading.</summary>
    /// <param name="path">The remote directory.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The open directory, owned by the caller.</returns>
    /// <exception cref="SftpException">The server's failure.</exception>
    public async Task<SftpDirectory> OpenDirectoryAsync(string path, CancellationToken cancellationToken = default)
    {
        (SftpPacketWriter w, uint id) = StartPath(SftpPacketType.Opendir, path);
        byte[] handle = await HandleAsync(w, id, cancellationToken).ConfigureAwait(false);
        return new SftpDirectory(this, path, handle);
    }

    /// <summary>
    /// The entries of the directory <paramref name="path"/>, <c>.</c> and <c>..</c> left out, pulled
    /// batch by batch as the caller iterates (the next READDIR is sent while a batch is handed out),
    /// never the whole listing in memory. Ending the iteration early closes the handle.
    /// </summary>
    /// <param name="path">The remote directory.</param>
    /// <param name="cancellationToken">Stops the listing.</param>
    /// <returns>The entries, in the server's order.</returns>
    /// <exception cref="SftpException">The server's failure.</exception>
    public async IAsyncEnumerable<SftpName> ListDirectoryAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using SftpDirectory directory = await OpenDirectoryAsync(path, cancellationToken).ConfigureAwait(false);
        Task<SftpReply> next = directory.StartRead(cancellationToken);
        try
        {
            while (true)
            {
                List<SftpName>? batch;
                using (SftpReply reply = await next.ConfigureAwait(false))
                {
                    batch = DecodeNames(reply);
                }

                if (batch is null)
                {
                    yield break;
                }

                // One batch ahead: the server prepares the next while this one is consumed.
                next = directory.StartRead(cancellationToken);
                foreach (SftpName name in batch)
                {
                    if (name.FileName is not ("." or ".."))
                    {
                        yield return name;
                    }
                }
            }
        }
        finally
        {
            SftpTasks.Observe(next);
        }
    }

    /// <summary>
    /// The entries of the directory <paramref name="path"/> as a cold observable: each subscription
    /// opens the directory, emits every entry (<c>.</c> and <c>..</c> left out) as its batch arrives,
    /// completes at the end and closes the handle; disposing the subscription stops it and closes the
    /// handle. <c>OnNext</c> is awaited in the sense of Rx: the next batch is asked for only after
    /// the current one was emitted, so a slow observer slows the listing (unless it uses <c>ObserveOn</c>).
    /// </summary>
    /// <param name="path">The remote directory.</param>
    /// <returns>The entries.</returns>
    public IObservable<SftpName> ListDirectory(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Observable.Create<SftpName>(async (observer, cancellationToken) =>
        {
            await foreach (SftpName name in ListDirectoryAsync(path, cancellationToken).ConfigureAwait(false))
            {
                observer.OnNext(name);
            }

            observer.OnCompleted();
        });
    }
}
