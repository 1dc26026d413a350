using System.Reactive.Linq;

namespace Rx.Ssh;

/// <summary>The reverse direction (RFC 8071 call home): accept TCP connections, then act as the SSH client on each.</summary>
public static partial class SshClient
{
    /// <summary>
    /// Listens for SSH servers that call home (see <see cref="SshServer.ConnectReverse"/>): accepts
    /// TCP connections on <paramref name="listen"/>'s address and port (default 127.0.0.1:4334,
    /// <see cref="SshCallHome.NetconfPort"/>) and acts as the SSH <em>client</em> on each, with
    /// everything of <paramref name="options"/> (user name, keys, signers, certificates, password,
    /// algorithms, <see cref="SshClientOptions.LoginTimeout"/> from accept, events, handlers) but
    /// <see cref="SshClientOptions.ConnectTimeout"/> (nothing is dialled). Emits each connection once
    /// it has authenticated, one per peer.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Cold, like <see cref="SshServer.Listen"/>: subscribing binds the socket (a bind failure is
    /// <c>OnError</c> with an <see cref="SshException"/>), disposing the subscription stops listening
    /// and abandons the peers still authenticating. Each emitted connection belongs to the subscriber,
    /// who disposes it to disconnect; it outlives the subscription. Two subscriptions are two listeners.
    /// Notifications never overlap; each peer is served on its own task, so a slow peer holds up no other.
    /// Does not complete on its own. Use <see cref="ListenReverseAsync"/> when the bound port is needed (port 0).
    /// </para>
    /// <para>
    /// Host key trust: the calling peer is the SSH server, so its host key is checked by
    /// <see cref="SshClientOptions.HostKeyVerifier"/> as for <see cref="Connect"/>, under the host name
    /// <see cref="SshReverseListenOptions.HostName"/> gives (default the peer's IP address) and port 22:
    /// a known_hosts file trusts a device with a line such as <c>192.0.2.7 ssh-ed25519 AAAA...</c>.
    /// A peer that fails (an untrusted host key, our login refused, silent past <see cref="SshClientOptions.LoginTimeout"/>)
    /// is closed, logged and reported to <see cref="SshReverseListenOptions.PeerFailed"/>; the listener
    /// carries on and the sequence does not fail.
    /// </para>
    /// </remarks>
    /// <param name="options">How each connection authenticates and checks the peer.</param>
    /// <param name="listen">Where to listen; defaults when null.</param>
    public static IObservable<SshClientConnection> ListenReverse(SshClientOptions options, SshReverseListenOptions? listen = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Observable.Create<SshClientConnection>(async (observer, ct) =>
        {
            SshReverseListener listener = SshReverseListener.Start(options, listen ?? new SshReverseListenOptions(), observer);
            await using (listener.ConfigureAwait(false))
            {
                var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                // Stop handing connections to the observer at once: after disposal it would drop them unowned.
                using (ct.Register(() =>
                {
                    listener.StopDelivering();
                    stopped.TrySetResult();
                }))
                {
                    await Task.WhenAny(listener.Completion, stopped.Task).ConfigureAwait(false);
                }
            }

            // Only a failed listening socket ends the loop before disposal: pass its error on.
            await listener.Completion.ConfigureAwait(false);
        });
    }

    /// <summary>
    /// Binds and starts accepting reverse connections (see <see cref="ListenReverse"/>); the returned
    /// listener tells the port bound and emits the authenticated connections on its hot
    /// <see cref="SshReverseListener.Connections"/> (subscribe before peers call). Dispose it to stop.
    /// Errors: <see cref="SshException"/> when the address cannot be bound.
    /// </summary>
    /// <param name="options">How each connection authenticates and checks the peer.</param>
    /// <param name="listen">Where to listen; defaults when null.</param>
    /// <param name="cancellationToken">Checked before binding.</param>
    public static Task<SshReverseListener> ListenReverseAsync(SshClientOptions options, SshReverseListenOptions? listen = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(SshReverseListener.Start(options, listen ?? new SshReverseListenOptions(), null));
    }
}
