using System.Net;
using System.Net.Sockets;
using System.Reactive;
using System.Reactive.Linq;
using Rx.Ssh.Forwarding;

namespace Rx.Ssh;

// Local forwarding (ssh -L): a local listener whose connections each get a direct channel.
public sealed partial class SshClientConnection
{
    /// <summary>
    /// Forwards a local TCP port to <paramref name="destinationHost"/>:<paramref name="destinationPort"/>
    /// as the server resolves it (ssh -L): each accepted connection gets its own <c>direct-tcpip</c>
    /// channel, spliced with half-close passed on each way and the channel window as flow control.
    /// </summary>
    /// <remarks>
    /// Cold: subscribing binds and listens; the first item is <see cref="SshLocalForwardStarted"/>
    /// with the bound address (the port chosen when <paramref name="listenPort"/> is 0), then one
    /// <see cref="SshLocalForwardConnection"/> per accepted connection (who from, and a task for how it
    /// ended with bytes each way; a refused channel open ends that connection only). Disposing the
    /// subscription stops listening and closes the connections in flight (in the background: Rx
    /// disposal does not wait; use <see cref="ForwardLocalPortAsync"/> to await the stop). A bind failure (e.g. the
    /// port is taken: <see cref="SocketException"/> with <see cref="SocketError.AddressAlreadyInUse"/>)
    /// fails the subscription; so does the SSH connection ending (<see cref="SshConnectionException"/>,
    /// after every forwarded socket is closed). It never completes by itself. Items are delivered one at a time.
    /// </remarks>
    /// <param name="listenHost">Where to listen, as OpenSSH: null, <c>""</c> or <c>*</c> every interface (dual-stack), <c>localhost</c> loopback only, otherwise that address (or the name's first address).</param>
    /// <param name="listenPort">The local port; 0 picks a free one.</param>
    /// <param name="destinationHost">The destination as the server resolves it.</param>
    /// <param name="destinationPort">The destination port.</param>
    /// <returns>The forward's events.</returns>
    public IObservable<SshLocalForwardEvent> ForwardLocalPort(string? listenHost, int listenPort, string destinationHost, int destinationPort)
    {
        ForwardingWire.CheckPort(listenPort, nameof(listenPort), allowZero: true);
        return ForwardLocal(ct => SshLocalForwarder.BindTcpAsync(listenHost, listenPort, ct), null, TcpDestination(destinationHost, destinationPort));
    }

    /// <summary>As <see cref="ForwardLocalPort"/>, to the UNIX socket <paramref name="remotePath"/> on the server (<c>direct-streamlocal@openssh.com</c>).</summary>
    /// <param name="listenHost">Where to listen (see <see cref="ForwardLocalPort"/>).</param>
    /// <param name="listenPort">The local port; 0 picks a free one.</param>
    /// <param name="remotePath">The socket path on the server.</param>
    /// <returns>The forward's events.</returns>
    public IObservable<SshLocalForwardEvent> ForwardLocalPortToPath(string? listenHost, int listenPort, string remotePath)
    {
        ForwardingWire.CheckPort(listenPort, nameof(listenPort), allowZero: true);
        return ForwardLocal(ct => SshLocalForwarder.BindTcpAsync(listenHost, listenPort, ct), null, PathDestination(remotePath));
    }

    /// <summary>As <see cref="ForwardLocalPort"/>, listening on the local UNIX socket <paramref name="localPath"/> (which must not exist; it is deleted when the forward stops).</summary>
    /// <param name="localPath">The local socket path.</param>
    /// <param name="destinationHost">The destination as the server resolves it.</param>
    /// <param name="destinationPort">The destination port.</param>
    /// <returns>The forward's events.</returns>
    public IObservable<SshLocalForwardEvent> ForwardLocalPath(string localPath, string destinationHost, int destinationPort)
    {
        ArgumentException.ThrowIfNullOrEmpty(localPath);
        return ForwardLocal(_ => Task.FromResult(SshLocalForwarder.BindUnix(localPath)), localPath, TcpDestination(destinationHost, destinationPort));
    }

    /// <summary>As <see cref="ForwardLocalPath"/>, to the UNIX socket <paramref name="remotePath"/> on the server.</summary>
    /// <param name="localPath">The local socket path (must not exist; deleted when the forward stops).</param>
    /// <param name="remotePath">The socket path on the server.</param>
    /// <returns>The forward's events.</returns>
    public IObservable<SshLocalForwardEvent> ForwardLocalPathToPath(string localPath, string remotePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(localPath);
        return ForwardLocal(_ => Task.FromResult(SshLocalForwarder.BindUnix(localPath)), localPath, PathDestination(remotePath));
    }

    /// <summary>
    /// Starts a local TCP forward (as <see cref="ForwardLocalPort"/>) and returns it once listening;
    /// read the bound port from <see cref="SshLocalForwarder.LocalEndPoint"/>, dispose it to stop.
    /// </summary>
    /// <param name="listenHost">Where to listen (see <see cref="ForwardLocalPort"/>).</param>
    /// <param name="listenPort">The local port; 0 picks a free one.</param>
    /// <param name="destinationHost">The destination as the server resolves it.</param>
    /// <param name="destinationPort">The destination port.</param>
    /// <param name="cancellationToken">Stops resolving <paramref name="listenHost"/>.</param>
    /// <returns>The running forward, owned by the caller.</returns>
    /// <exception cref="SocketException">The address could not be bound (e.g. <see cref="SocketError.AddressAlreadyInUse"/>).</exception>
    public async Task<SshLocalForwarder> ForwardLocalPortAsync(string? listenHost, int listenPort, string destinationHost, int destinationPort, CancellationToken cancellationToken = default)
    {
        ForwardingWire.CheckPort(listenPort, nameof(listenPort), allowZero: true);
        var open = TcpDestination(destinationHost, destinationPort);
        Socket[] sockets = await SshLocalForwarder.BindTcpAsync(listenHost, listenPort, cancellationToken).ConfigureAwait(false);
        var forwarder = new SshLocalForwarder(sockets, null, this, open, null);
        forwarder.Start();
        return forwarder;
    }

    /// <summary>Starts a forward from the local UNIX socket <paramref name="localPath"/> (as <see cref="ForwardLocalPath"/>) and returns it once listening.</summary>
    /// <param name="localPath">The local socket path (must not exist; deleted when the forward stops).</param>
    /// <param name="destinationHost">The destination as the server resolves it.</param>
    /// <param name="destinationPort">The destination port.</param>
    /// <param name="cancellationToken">Cancels before binding (binding a path does not wait).</param>
    /// <returns>The running forward, owned by the caller.</returns>
    /// <exception cref="SocketException">The path could not be bound (e.g. it exists).</exception>
    public Task<SshLocalForwarder> ForwardLocalPathAsync(string localPath, string destinationHost, int destinationPort, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(localPath);
        cancellationToken.ThrowIfCancellationRequested();
        var open = TcpDestination(destinationHost, destinationPort);
        var forwarder = new SshLocalForwarder(SshLocalForwarder.BindUnix(localPath), localPath, this, open, null);
        forwarder.Start();
        return Task.FromResult(forwarder);
    }

    /// <summary>
    /// Dynamic forwarding (ssh -D): a local SOCKS4, SOCKS4a and SOCKS5 (CONNECT, no authentication;
    /// IPv4, IPv6 and domain addresses) listener; each request opens a <c>direct-tcpip</c> channel to the
    /// destination it names (resolved by the server) and is answered with the SOCKS reply: success,
    /// or the error code for a refused open (SOCKS5: 2 not allowed, 5 refused, 1 otherwise; SOCKS4: 0x5B).
    /// Garbage, an unsupported command or address type gets the version's error reply (nothing for an
    /// unknown version) and that socket is closed; the listener and other connections go on. Events,
    /// cold semantics and disposal as <see cref="ForwardLocalPort"/> (a failed handshake is a
    /// <see cref="SshLocalForwardConnection"/> whose result carries the error).
    /// </summary>
    /// <param name="listenHost">Where to listen (see <see cref="ForwardLocalPort"/>).</param>
    /// <param name="listenPort">The local port; 0 picks a free one.</param>
    /// <returns>The forward's events.</returns>
    public IObservable<SshLocalForwardEvent> ForwardSocks(string? listenHost, int listenPort)
    {
        ForwardingWire.CheckPort(listenPort, nameof(listenPort), allowZero: true);
        return ForwardLocal(
            ct => SshLocalForwarder.BindTcpAsync(listenHost, listenPort, ct),
            null,
            (socket, ct) => SocksHandshake.RunAsync(
                socket,
                (host, port, token) => socket.RemoteEndPoint is IPEndPoint ip
                    ? OpenDirectTcpAsync(host, port, ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4().ToString() : ip.Address.ToString(), ip.Port, cancellationToken: token)
                    : OpenDirectTcpAsync(host, port, cancellationToken: token),
                ct));
    }

    private Func<Socket, CancellationToken, Task<SshChannelStream>> TcpDestination(string host, int port)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ForwardingWire.CheckPort(port, nameof(port), allowZero: false);
        return (socket, ct) => socket.RemoteEndPoint is IPEndPoint ip
            ? OpenDirectTcpAsync(host, port, ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4().ToString() : ip.Address.ToString(), ip.Port, cancellationToken: ct)
            : OpenDirectTcpAsync(host, port, cancellationToken: ct);
    }

    private Func<Socket, CancellationToken, Task<SshChannelStream>> PathDestination(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return (_, ct) => OpenDirectStreamLocalAsync(path, cancellationToken: ct);
    }

    private IObservable<SshLocalForwardEvent> ForwardLocal(Func<CancellationToken, Task<Socket[]>> bind, string? unixPath, Func<Socket, CancellationToken, Task<SshChannelStream>> open) =>
        Observable.Create<SshLocalForwardEvent>(async (observer, cancellationToken) =>
        {
            IObserver<SshLocalForwardEvent> synchronized = Observer.Synchronize(observer);
            Socket[] sockets = await bind(cancellationToken).ConfigureAwait(false);
            await using var forwarder = new SshLocalForwarder(sockets, unixPath, this, open, synchronized.OnNext);
            synchronized.OnNext(new SshLocalForwardStarted(forwarder.LocalEndPoints));
            forwarder.Start();
            await forwarder.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        });
}
