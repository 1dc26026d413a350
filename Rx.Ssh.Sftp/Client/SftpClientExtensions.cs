using System.Reactive.Linq;

namespace Rx.Ssh.Sftp;

/// <summary>Starting SFTP sessions from a connection or a host.</summary>
public static class SftpClientExtensions
{
    /// <summary>Starts an SFTP session on the connection (see <see cref="SftpClient.StartAsync(SshClientConnection, SftpClientOptions?, CancellationToken)"/>).</summary>
    /// <param name="connection">An authenticated connection.</param>
    /// <param name="options">The settings; the defaults when null.</param>
    /// <param name="cancellationToken">Stops starting.</param>
    /// <returns>The client, owned by the caller.</returns>
    public static Task<SftpClient> StartSftpClientAsync(this SshClientConnection connection, SftpClientOptions? options = null, CancellationToken cancellationToken = default) =>
        SftpClient.StartAsync(connection, options, cancellationToken);

    /// <summary>
    /// A cold observable of one SFTP session: each subscription starts a session and emits it,
    /// completes when the session ends (the channel closed), and disposing the subscription ends it.
    /// The client is valid while subscribed.
    /// </summary>
    /// <param name="connection">An authenticated connection.</param>
    /// <param name="options">The settings; the defaults when null.</param>
    /// <returns>The session.</returns>
    public static IObservable<SftpClient> Sftp(this SshClientConnection connection, SftpClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return Observable.Create<SftpClient>(async (observer, cancellationToken) =>
        {
            SftpClient client = await SftpClient.StartAsync(connection, options, cancellationToken).ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                observer.OnNext(client);
                await client.Closed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            observer.OnCompleted();
        });
    }

    /// <summary>
    /// Cold: each subscription connects to <paramref name="host"/>, starts an SFTP session, and
    /// mirrors <paramref name="use"/>'s observable; when it ends (or the subscription is disposed)
    /// the session and the connection are closed. E.g. <c>host.UsingSftp(sftp =&gt; sftp.Get("a", "b"))</c>.
    /// </summary>
    /// <typeparam name="T">What the work emits.</typeparam>
    /// <param name="host">The host to connect to.</param>
    /// <param name="use">The work, given the session.</param>
    /// <param name="options">The SFTP settings; the defaults when null.</param>
    /// <returns>The work's values.</returns>
    public static IObservable<T> UsingSftp<T>(this SshHost host, Func<SftpClient, IObservable<T>> use, SftpClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(use);
        return host.Using(connection => Observable.Create<T>(async (observer, cancellationToken) =>
        {
            SftpClient client = await SftpClient.StartAsync(connection, options, cancellationToken).ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                await use(client).ForEachAsync(observer.OnNext, cancellationToken).ConfigureAwait(false);
            }

            observer.OnCompleted();
        }));
    }
}
