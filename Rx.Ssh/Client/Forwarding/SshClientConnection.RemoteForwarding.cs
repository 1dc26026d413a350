using System.Buffers.Binary;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Reactive;
using Rx.Ssh.Client.Forwarding;
using Rx.Ssh.Forwarding;

namespace Rx.Ssh;

// Remote forwarding (ssh -R): the server listens for us and forwards each connection as a channel.
public sealed partial class SshClientConnection
{
    private readonly Lock _remoteForwardsGate = new();
    private RemoteForwardRegistry? _remoteForwards;

    private RemoteForwardRegistry RemoteForwards
    {
        get
        {
            lock (_remoteForwardsGate)
            {
                return _remoteForwards ??= RemoteForwardRegistry.Create(this);
            }
        }
    }

    /// <summary>
    /// Asks the server to listen on <paramref name="listenHost"/>:<paramref name="listenPort"/>
    /// (<c>tcpip-forward</c>) and emits each connection it forwards, undecided, for the subscriber to
    /// accept, forward or refuse (<see cref="SshRemoteForwardRequest"/>).
    /// </summary>
    /// <remarks>
    /// Cold: subscribing sends the request; the first item is <see cref="SshRemoteForwardStarted"/> with
    /// the port (the one the server allocated when <paramref name="listenPort"/> is 0, from its reply),
    /// then one <see cref="SshRemoteForwardRequest"/> per <c>forwarded-tcpip</c> channel matched to this
    /// listener (channels matching no listener are refused with ADMINISTRATIVELY_PROHIBITED). A refused
    /// request fails the subscription with <see cref="SshForwardingException"/>; the SSH connection ending
    /// fails it with <see cref="SshConnectionException"/>. Disposing the subscription sends
    /// <c>cancel-tcpip-forward</c> (the server stops listening) and stops matching; connections already
    /// delivered are the subscriber's. Items are delivered one at a time, off the connection's dispatch loop.
    /// The <c>forwarded-tcpip</c> and <c>forwarded-streamlocal@openssh.com</c> channel handlers are registered
    /// on the connection on first use of any remote forward.
    /// </remarks>
    /// <param name="listenHost">The address for the server to bind (<c>""</c> all interfaces, <c>localhost</c> loopback, subject to its GatewayPorts).</param>
    /// <param name="listenPort">The port; 0 lets the server choose.</param>
    /// <returns>The forward's events.</returns>
    public IObservable<SshRemoteForwardEvent> ListenRemotePort(string listenHost, int listenPort)
    {
        ArgumentNullException.ThrowIfNull(listenHost);
        ForwardingWire.CheckPort(listenPort, nameof(listenPort), allowZero: true);
        return ListenRemote(
            listenHost,
            null,
            ForwardingWire.TcpipForward,
            ForwardingWire.CancelTcpipForward,
            ForwardingWire.TcpipForwardData(listenHost, listenPort),
            listenPort);
    }

    /// <summary>
    /// As <see cref="ListenRemotePort"/> for a UNIX socket <paramref name="remotePath"/> on the server
    /// (<c>streamlocal-forward@openssh.com</c>, cancelled with <c>cancel-streamlocal-forward@openssh.com</c>;
    /// connections come as <c>forwarded-streamlocal@openssh.com</c>).
    /// </summary>
    /// <param name="remotePath">The socket path on the server.</param>
    /// <returns>The forward's events.</returns>
    public IObservable<SshRemoteForwardEvent> ListenRemotePath(string remotePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(remotePath);
        return ListenRemote(
            remotePath,
            remotePath,
            ForwardingWire.StreamLocalForward,
            ForwardingWire.CancelStreamLocalForward,
            ForwardingWire.StreamLocalForwardData(remotePath),
            0);
    }

    /// <summary>
    /// Remote forwarding to a local service (ssh -R): as <see cref="ListenRemotePort"/>, each forwarded
    /// connection connected to <paramref name="destinationHost"/>:<paramref name="destinationPort"/>
    /// here and spliced (a local connect failure refuses that channel with CONNECT_FAILED). Emits
    /// <see cref="SshRemoteForwardStarted"/>, then one <see cref="SshRemoteForwardConnection"/> per
    /// connection. Cold; disposal cancels the server's listener and closes the connections in flight.
    /// </summary>
    /// <param name="listenHost">The address for the server to bind.</param>
    /// <param name="listenPort">The port; 0 lets the server choose.</param>
    /// <param name="destinationHost">The local destination host.</param>
    /// <param name="destinationPort">The local destination port.</param>
    /// <returns>The forward's events.</returns>
    public IObservable<SshRemoteForwardEvent> ForwardRemotePort(string listenHost, int listenPort, string destinationHost, int destinationPort)
    {
        ArgumentException.ThrowIfNullOrEmpty(destinationHost);
        ForwardingWire.CheckPort(destinationPort, nameof(destinationPort), allowZero: false);
        return SpliceEach(ListenRemotePort(listenHost, listenPort), (r, ct) => r.ForwardToAsync(destinationHost, destinationPort, ct));
    }

    /// <summary>As <see cref="ForwardRemotePort"/> from the server's socket <paramref name="remotePath"/> to the local socket <paramref name="localPath"/>.</summary>
    /// <param name="remotePath">The socket path on the server.</param>
    /// <param name="localPath">The local socket path.</param>
    /// <returns>The forward's events.</returns>
    public IObservable<SshRemoteForwardEvent> ForwardRemotePath(string remotePath, string localPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(localPath);
        return SpliceEach(ListenRemotePath(remotePath), (r, ct) => r.ForwardToPathAsync(localPath, ct));
    }

    /// <summary>
    /// Remote forwarding to a local service, awaitable: as <see cref="ForwardRemotePort"/>, returning
    /// once the server listens (read the port it allocated for port 0 from <see cref="SshRemoteListener.Port"/>);
    /// await <see cref="SshRemoteListener.Completion"/> to run until the connection ends, dispose it to stop.
    /// </summary>
    /// <param name="listenHost">The address for the server to bind.</param>
    /// <param name="listenPort">The port; 0 lets the server choose.</param>
    /// <param name="destinationHost">The local destination host.</param>
    /// <param name="destinationPort">The local destination port.</param>
    /// <param name="cancellationToken">Stops waiting for the server's answer.</param>
    /// <returns>The running forward, owned by the caller.</returns>
    /// <exception cref="SshForwardingException">The server refused to listen.</exception>
    /// <exception cref="SshConnectionException">The connection ended.</exception>
    public Task<SshRemoteListener> ForwardRemotePortAsync(string listenHost, int listenPort, string destinationHost, int destinationPort, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(destinationHost);
        ForwardingWire.CheckPort(destinationPort, nameof(destinationPort), allowZero: false);
        return ListenRemotePortAsync(listenHost, listenPort, (request, ct) => request.ForwardToAsync(destinationHost, destinationPort, ct), cancellationToken);
    }

    /// <summary>
    /// As <see cref="ListenRemotePort"/>, awaitable: returns once the server listens, and runs
    /// <paramref name="handler"/> for each connection it forwards (concurrently, off the dispatch loop).
    /// The handler decides: <see cref="SshRemoteForwardRequest.Accept"/> (and serve the stream; the task is
    /// the connection's life), <see cref="SshRemoteForwardRequest.ForwardToAsync(string, int, CancellationToken)"/>
    /// or <see cref="SshRemoteForwardRequest.Reject"/>. One it leaves undecided is refused with
    /// ADMINISTRATIVELY_PROHIBITED when it returns, with CONNECT_FAILED when it throws. Its token is
    /// cancelled when the listener is disposed.
    /// </summary>
    /// <param name="listenHost">The address for the server to bind.</param>
    /// <param name="listenPort">The port; 0 lets the server choose.</param>
    /// <param name="handler">Decides and serves one forwarded connection.</param>
    /// <param name="cancellationToken">Stops waiting for the server's answer.</param>
    /// <returns>The running listener, owned by the caller.</returns>
    /// <exception cref="SshForwardingException">The server refused to listen.</exception>
    /// <exception cref="SshConnectionException">The connection ended.</exception>
    public Task<SshRemoteListener> ListenRemotePortAsync(string listenHost, int listenPort, Func<SshRemoteForwardRequest, CancellationToken, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return SshRemoteListener.StartAsync(ListenRemotePort(listenHost, listenPort), handler, cancellationToken);
    }

    /// <summary>
    /// As <see cref="ForwardRemotePortAsync"/> from the server's socket <paramref name="remotePath"/> to the
    /// local socket <paramref name="localPath"/> (<c>ssh -R remote.sock:local.sock</c>): returns once the server listens.
    /// </summary>
    /// <param name="remotePath">The socket path for the server to bind.</param>
    /// <param name="localPath">The local socket path each connection is forwarded to.</param>
    /// <param name="cancellationToken">Stops waiting for the server's answer.</param>
    /// <returns>The running forward, owned by the caller.</returns>
    /// <exception cref="SshForwardingException">The server refused to listen.</exception>
    /// <exception cref="SshConnectionException">The connection ended.</exception>
    public Task<SshRemoteListener> ForwardRemotePathAsync(string remotePath, string localPath, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(localPath);
        return ListenRemotePathAsync(remotePath, (request, ct) => request.ForwardToPathAsync(localPath, ct), cancellationToken);
    }

    /// <summary>
    /// As <see cref="ListenRemotePortAsync"/> for the server's socket <paramref name="remotePath"/>:
    /// returns once the server listens and runs <paramref name="handler"/> for each connection it forwards.
    /// </summary>
    /// <param name="remotePath">The socket path for the server to bind.</param>
    /// <param name="handler">Decides and serves one forwarded connection (see <see cref="ListenRemotePortAsync"/>).</param>
    /// <param name="cancellationToken">Stops waiting for the server's answer.</param>
    /// <returns>The running listener, owned by the caller.</returns>
    /// <exception cref="SshForwardingException">The server refused to listen.</exception>
    /// <exception cref="SshConnectionException">The connection ended.</exception>
    public Task<SshRemoteListener> ListenRemotePathAsync(string remotePath, Func<SshRemoteForwardRequest, CancellationToken, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return SshRemoteListener.StartAsync(ListenRemotePath(remotePath), handler, cancellationToken);
    }

    private static IObservable<SshRemoteForwardEvent> SpliceEach(IObservable<SshRemoteForwardEvent> source, Func<SshRemoteForwardRequest, CancellationToken, Task<SshForwardResult>> forward) =>
        Observable.Create<SshRemoteForwardEvent>(async (observer, cancellationToken) =>
        {
            var inFlight = new List<Task>();
            try
            {
                await source.Select(e =>
                {
                    if (e is not SshRemoteForwardRequest request)
                    {
                        return e;
                    }

                    Task<SshForwardResult> done = forward(request, cancellationToken);
                    lock (inFlight)
                    {
                        inFlight.Add(done);
                    }

                    return new SshRemoteForwardConnection(request.OriginatorHost, request.OriginatorPort, done);
                })
                .Do(observer.OnNext)
                .LastOrDefaultAsync()
                .ToTask(cancellationToken)
                .ConfigureAwait(false);
            }
            finally
            {
                Task[] open;
                lock (inFlight)
                {
                    open = [.. inFlight];
                }

                await Task.WhenAll(open).ConfigureAwait(false);
            }

            observer.OnCompleted();
        });

    private IObservable<SshRemoteForwardEvent> ListenRemote(string host, string? path, string request, string cancelRequest, byte[] data, int askedPort) =>
        Observable.Create<SshRemoteForwardEvent>(async (observer, cancellationToken) =>
        {
            IObserver<SshRemoteForwardEvent> synchronized = Observer.Synchronize(observer);
            // Matched only once settled, which is after Started went out: Started is always first.
            RemoteForwardRegistry.Listener listener = RemoteForwards.Add(host, path, askedPort == 0, synchronized.OnNext);
            bool granted = false;
            int port = askedPort;
            try
            {
                SshGlobalReply reply = await SendGlobalRequestAsync(request, data, wantReply: true, cancellationToken).ConfigureAwait(false);
                if (!reply.Success)
                {
                    throw new SshForwardingException(path is null
                        ? $"The server refused to listen on {(host.Length == 0 ? "*" : host)}:{askedPort} ({request})."
                        : $"The server refused to listen on {path} ({request}).");
                }

                granted = true;
                if (path is null && askedPort == 0)
                {
                    if (reply.Data.Length < 4)
                    {
                        throw new SshForwardingException("The server allocated a port but did not say which.");
                    }

                    port = checked((int)BinaryPrimitives.ReadUInt32BigEndian(reply.Data.Span));
                }

                synchronized.OnNext(new SshRemoteForwardStarted(host, port, path));
                listener.Settle(port);
                Exception? ended = await Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
                throw new SshConnectionException(DisconnectReason.ConnectionLost, "The SSH connection ended; the remote forward stopped.", true, ended);
            }
            finally
            {
                RemoteForwards.Remove(listener);
                if (granted && !Completion.IsCompleted)
                {
                    byte[] cancelData = path is null ? ForwardingWire.TcpipForwardData(host, port) : data;
                    IO.TaskFaults.Observe(SendGlobalRequestAsync(cancelRequest, cancelData, wantReply: true, CancellationToken.None));
                }
            }
        });
}
