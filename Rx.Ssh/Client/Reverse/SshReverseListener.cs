using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Rx.Ssh;

/// <summary>
/// A listening SSH client of the reverse direction (RFC 8071 call home; from
/// <see cref="SshClient.ListenReverseAsync"/>): each SSH server that opens a TCP connection to it is
/// served as by <see cref="SshClient.ConnectAsync(Stream, string, int, SshClientOptions?, CancellationToken)"/>
/// (host key check, then our login) on its own task, and each authenticated connection is emitted on
/// <see cref="Connections"/>. Disposing stops listening and abandons the attempts in progress;
/// connections already emitted belong to whoever took them.
/// </summary>
public sealed class SshReverseListener : IAsyncDisposable, IDisposable
{
    /// <summary>The listener whose subscriber this thread is calling now, if any.</summary>
    [ThreadStatic]
    private static SshReverseListener? delivering;

    private readonly Socket _socket;
    private readonly SshClientOptions _options;
    private readonly SshReverseListenOptions _listen;
    private readonly ILogger _logger;
    private readonly IObserver<SshClientConnection>? _direct;
    private readonly Subject<SshClientConnection> _subject = new();
    private readonly ISubject<SshClientConnection> _connections;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private readonly object _deliverGate = new();
    private readonly Task _acceptLoop;
    private TaskCompletionSource _nonePending = Completed();
    private int _pending;
    private bool _stopped;
    private int _disposed;

    private SshReverseListener(Socket socket, SshClientOptions options, SshReverseListenOptions listen, IObserver<SshClientConnection>? direct)
    {
        _socket = socket;
        _options = options;
        _listen = listen;
        _direct = direct;
        _logger = options.Loggers.Client;
        _connections = Subject.Synchronize(_subject);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The address and port bound.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The port bound (the one picked when port 0 was asked).</summary>
    public int Port => LocalEndPoint.Port;

    /// <summary>
    /// Hot: each connection once it has authenticated, which the subscriber then owns (dispose it to
    /// disconnect). A connection that authenticates while no one is subscribed is disconnected (logged),
    /// since no one could own it; subscribe before peers call. Notifications never overlap. Completes
    /// when the listener is disposed; fails only if the listening socket is closed under it. What a
    /// subscriber throws is logged and goes no further. Peers that fail are not in this sequence: see
    /// <see cref="SshReverseListenOptions.PeerFailed"/>.
    /// </summary>
    public IObservable<SshClientConnection> Connections => _connections.AsObservable();

    /// <summary>Peers accepted and not yet authenticated (or failed).</summary>
    public int PendingConnections => Volatile.Read(ref _pending);

    /// <summary>Ends when the accept loop has ended: normally after disposal, with an exception when the listening socket failed.</summary>
    internal Task Completion => _acceptLoop;

    /// <summary>Binds and starts accepting; connections go to <paramref name="direct"/> when given (the cold form), else to <see cref="Connections"/>.</summary>
    internal static SshReverseListener Start(SshClientOptions options, SshReverseListenOptions listen, IObserver<SshClientConnection>? direct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(listen);
        options.CheckShared(nameof(options));
        Socket socket = IO.TcpListening.Listen(listen.Address, listen.Port);
        return new SshReverseListener(socket, options, listen, direct);
    }

    /// <summary>
    /// Stops listening, closes the listening socket, abandons the attempts in progress (their sockets
    /// are closed) and completes <see cref="Connections"/>; returns once all that is done. Connections
    /// already emitted live on. Called from a subscriber's <c>OnNext</c>, it does the same but returns
    /// without waiting (the attempt being delivered is the caller). A second call waits for the first one's work.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        bool inOnNext = delivering == this;
        StopDelivering();

        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            _socket.Dispose();
        }

        if (inOnNext)
        {
            return;
        }

        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (SshException)
        {
            // The listening socket failed before disposal: already reported on Connections (or the cold form's OnError).
        }

        Task pending;
        lock (_gate)
        {
            pending = _nonePending.Task;
        }

        await pending.ConfigureAwait(false);
    }

    /// <summary>From now on, authenticated connections are disconnected instead of emitted; waits for a delivery in progress on another thread.</summary>
    internal void StopDelivering()
    {
        lock (_deliverGate)
        {
            _stopped = true;
        }
    }

    /// <summary>The same work as <see cref="DisposeAsync"/>, blocking until it is done (with the same exception inside <c>OnNext</c>).</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static TaskCompletionSource Completed()
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        signal.SetResult();
        return signal;
    }

    /// <summary>Accepts until disposed (<see cref="IO.AcceptLoop"/>: failed accepts retried after a back-off on the scheduler).</summary>
    private async Task AcceptLoopAsync()
    {
        try
        {
            await IO.AcceptLoop.RunAsync(_socket.AcceptAsync, Admit, _options.Scheduler, _logger, _stop.Token).ConfigureAwait(false);
        }
        catch (SshException error)
        {
            Complete(error);
            throw;
        }

        Complete(null);
    }

    private void Complete(Exception? error)
    {
        if (_direct is not null)
        {
            return; // the cold form ends through Completion
        }

        if (error is null)
        {
            _connections.OnCompleted();
        }
        else
        {
            _connections.OnError(error);
        }
    }

    /// <summary>Starts serving <paramref name="peer"/>, or closes it when too many are pending; never throws.</summary>
    private void Admit(Socket peer)
    {
        IPEndPoint? remote;
        try
        {
            peer.NoDelay = true;
            remote = peer.RemoteEndPoint as IPEndPoint;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            _logger.LogDebug(SshLogEvents.Client.ConnectionResetBeforeServed, ex, "Dropping a connection reset before it was served");
            peer.Dispose();
            return;
        }

        bool admitted;
        lock (_gate)
        {
            admitted = _pending < _listen.MaxPendingConnections;
            if (admitted && _pending++ == 0)
            {
                _nonePending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        if (!admitted)
        {
            peer.Dispose();
            Fail(remote, Describe(remote), new SshConnectionException(DisconnectReason.TooManyConnections, $"Connection refused: {_listen.MaxPendingConnections} connections are already authenticating.", true));
            return;
        }

        IO.TaskFaults.Observe(Task.Run(() => ServeAsync(peer, remote)));
    }

    private async Task ServeAsync(Socket peer, IPEndPoint? remote)
    {
        string host = Describe(remote);
        try
        {
            SshClientConnection connection;
            try
            {
                if (_listen.HostName is { } name && remote is not null)
                {
                    host = name(remote);
                    ArgumentException.ThrowIfNullOrEmpty(host, nameof(SshReverseListenOptions.HostName));
                }

                var stream = new NetworkStream(peer, ownsSocket: true);
                _options.ConnectionEvents?.Invoke(new SshTcpConnected(host, 22, remote));
                connection = await SshClient.ConnectAsync(stream, host, 22, remote, _options, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                peer.Dispose(); // ConnectAsync closed the stream; this covers failures before it
                if (_stop.IsCancellationRequested)
                {
                    _logger.LogDebug(SshLogEvents.Client.ReverseAbandoned, ex, "Reverse connection from {Remote} abandoned: the listener stopped", remote);
                }
                else
                {
                    Fail(remote, host, ex);
                }

                return;
            }

            Deliver(connection, remote);
        }
        finally
        {
            lock (_gate)
            {
                if (--_pending == 0)
                {
                    _nonePending.TrySetResult();
                }
            }
        }
    }

    private void Deliver(SshClientConnection connection, IPEndPoint? remote)
    {
        lock (_deliverGate)
        {
            if (!_stopped && (_direct is not null || _subject.HasObservers))
            {
                delivering = this;
                try
                {
                    (_direct ?? _connections).OnNext(connection);
                }
                catch (Exception ex)
                {
                    _logger.LogError(SshLogEvents.Client.SubscriberFailed, ex, "A subscriber's OnNext threw; the reverse listener carries on");
                }
                finally
                {
                    delivering = null;
                }

                return;
            }
        }

        _logger.LogWarning(SshLogEvents.Client.ReverseDisconnected, "Reverse connection from {Remote} disconnected: {Reason}", remote, _stopped ? "the listener stopped" : "no one is subscribed to Connections");
        IO.TaskFaults.Observe(connection.DisposeAsync().AsTask());
    }

    private void Fail(IPEndPoint? remote, string host, Exception error)
    {
        _logger.LogInformation(SshLogEvents.Client.ReverseFailed, "Reverse connection from {Remote} failed: {Error}", remote, error.Message);
        try
        {
            _listen.PeerFailed?.Invoke(new SshReversePeerFailure(remote, host, error));
        }
        catch (Exception ex)
        {
            _logger.LogWarning(SshLogEvents.Client.PeerFailedCallbackFailed, ex, "The PeerFailed callback failed");
        }
    }

    /// <summary>The peer's address as known_hosts names it (IPv4 rather than IPv4-mapped IPv6).</summary>
    private static string Describe(IPEndPoint? remote) => remote switch
    {
        null => "unknown",
        { Address.IsIPv4MappedToIPv6: true } => remote.Address.MapToIPv4().ToString(),
        _ => remote.Address.ToString(),
    };
}
