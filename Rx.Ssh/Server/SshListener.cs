using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Server.Limits;

namespace Rx.Ssh;

/// <summary>
/// A listening SSH server (from <see cref="SshServer.StartAsync"/>). Each accepted socket runs
/// key exchange and authentication on its own task; authenticated connections are emitted on
/// <see cref="Connections"/>. Disposing stops listening; live connections keep running (dispose
/// them, or call <see cref="DisconnectAllAsync"/>).
/// </summary>
public sealed class SshListener : IAsyncDisposable, IDisposable
{
    /// <summary>The listener whose <see cref="Connections"/> subscribers this thread is calling now, if any.</summary>
    [ThreadStatic]
    private static SshListener? delivering;

    private readonly Socket _socket;
    private readonly SshServerOptions _options;
    private readonly ILogger _logger;
    private readonly Subject<SshServerConnection> _subject = new();
    private readonly ISubject<SshServerConnection> _connections;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<SshServerConnection, byte> _live = new();
    private readonly Func<CancellationToken, ValueTask<Socket>> _accept;
    private readonly StartupLimiter _limiter;
    private readonly Task _acceptLoop;
    private int _unauthenticated;
    private int _disposed;

    private SshListener(Socket socket, SshServerOptions options, StartupLimiter limiter, Func<Socket, CancellationToken, ValueTask<Socket>>? accept)
    {
        _limiter = limiter;
        _socket = socket;
        _accept = accept is null ? socket.AcceptAsync : ct => accept(socket, ct);
        _options = options;
        _logger = options.Loggers.Server;
        _connections = Subject.Synchronize(_subject);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The address and port bound.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The port bound (the one picked when port 0 was asked).</summary>
    public int Port => LocalEndPoint.Port;

    /// <summary>
    /// Hot: each connection once it has authenticated. Late subscribers see only later
    /// connections. Completes when the listener is disposed. A failed accept is logged and retried
    /// after a back-off; this fails only if the listening socket is closed under the listener.
    /// An exception thrown by a subscriber is logged and reaches neither the listener nor the other subscribers.
    /// </summary>
    public IObservable<SshServerConnection> Connections => Observable.Create<SshServerConnection>(observer =>
        _connections.Subscribe(new Server.IsolatedObserver<SshServerConnection>(observer, _logger)));

    /// <summary>Authenticated connections still open.</summary>
    public int ActiveConnections => _live.Count;

    /// <summary>Connections accepted but not yet authenticated.</summary>
    public int UnauthenticatedConnections => Volatile.Read(ref _unauthenticated);

    /// <summary>Binds and starts the accept loop; <paramref name="accept"/> replaces <see cref="Socket.AcceptAsync(CancellationToken)"/> (tests inject failures).</summary>
    internal static SshListener Start(SshServerOptions options, Func<Socket, CancellationToken, ValueTask<Socket>>? accept = null)
    {
        if (options.HostKeys.Count == 0)
        {
            throw new ArgumentException("At least one host key is required.", nameof(options));
        }

        var limiter = new StartupLimiter(options); // checks the limit options before binding
        Socket socket = IO.TcpListening.Listen(options.Address, options.Port);
        return new SshListener(socket, options, limiter, accept);
    }

    /// <summary>Disconnects every live connection and waits for them to end.</summary>
    /// <param name="cancellationToken">Stops waiting; the disconnects already started go on.</param>
    public async Task DisconnectAllAsync(CancellationToken cancellationToken = default)
    {
        await Task.WhenAll(_live.Keys.Select(c => c.DisposeAsync().AsTask())).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops listening (connections already accepted keep running), closes the listening socket and
    /// completes <see cref="Connections"/>; completes once the accept loop has ended. Called from a
    /// <see cref="Connections"/> subscriber's <c>OnNext</c>, it closes the socket and returns without
    /// waiting: the sequence completes when that <c>OnNext</c> returns (waiting would deadlock). A
    /// second call waits for the first one's work.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        // Read before the first await: the continuation may run on another thread.
        bool inOnNext = delivering == this;
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            if (!inOnNext)
            {
                await _acceptLoop.ConfigureAwait(false);
            }

            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        if (inOnNext)
        {
            // The accept loop's OnCompleted waits for the OnNext this thread is in.
            _ = _acceptLoop.ContinueWith(_ => _stop.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return;
        }

        await _acceptLoop.ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>The same work as <see cref="DisposeAsync"/>, blocking until it is done (with the same exception inside <c>OnNext</c>).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Accepts until disposed (<see cref="IO.AcceptLoop"/>: failed accepts retried after a back-off
    /// on the options' scheduler); only a listening socket disposed under it ends the sequence with an error.
    /// </summary>
    private async Task AcceptLoopAsync()
    {
        try
        {
            await IO.AcceptLoop.RunAsync(_accept, Admit, _options.Scheduler, _logger, _stop.Token).ConfigureAwait(false);
        }
        catch (SshException ex)
        {
            _connections.OnError(ex);
            return;
        }

        _connections.OnCompleted();
    }

    /// <summary>Counts <paramref name="client"/> and starts serving it, or closes it; never throws.</summary>
    private void Admit(Socket client)
    {
        EndPoint? remote;
        try
        {
            // Both throw on a socket the peer has already reset.
            client.NoDelay = true;
            remote = client.RemoteEndPoint;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            _logger.LogDebug(SshLogEvents.Server.ConnectionResetBeforeServed, ex, "Dropping a connection reset before it was served");
            client.Dispose();
            return;
        }

        StartupLimiter.StartupSlot? slot = _limiter.TryEnter(remote, out string refusal);
        if (slot is null)
        {
            _logger.LogWarning(SshLogEvents.Server.ConnectionRefused, "Refusing connection from {Remote}: {Reason}", remote, refusal);
            client.Dispose();
            return;
        }

        IncrementAuthenticating();
        IO.TaskFaults.Observe(Task.Run(() => ServeAsync(client, remote, slot)));
    }

    private void IncrementAuthenticating() => Interlocked.Increment(ref _unauthenticated);

    private void DecrementAuthenticating(EndPoint? remote)
    {
        int left = Interlocked.Decrement(ref _unauthenticated);
        _logger.LogDebug(SshLogEvents.Server.AuthenticationEnded, "Connection from {Remote} done authenticating (authenticated, refused or gone); {Unauthenticated} still authenticating", remote, left);
    }

    private async Task ServeAsync(Socket client, EndPoint? remote, StartupLimiter.StartupSlot slot)
    {
        SshServerConnection connection;
        try
        {
            connection = await SshServer.AcceptCoreAsync(new NetworkStream(client, ownsSocket: true), _options, remote, CancellationToken.None, slot).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // AcceptCoreAsync has closed the stream; a NetworkStream that could not be made has not.
            client.Dispose();
            _logger.LogDebug(SshLogEvents.Server.PreAuthFailed, ex, "Connection from {Remote} failed before authentication", remote);
            return;
        }
        finally
        {
            slot.Dispose();
            DecrementAuthenticating(remote);
        }

        _live.TryAdd(connection, 0);
        _ = connection.Completion.ContinueWith(_ => _live.TryRemove(connection, out byte _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        delivering = this;
        try
        {
            _connections.OnNext(connection);
        }
        finally
        {
            delivering = null;
        }
    }
}
