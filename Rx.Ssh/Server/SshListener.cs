using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Rx.Ssh;

/// <summary>
/// A listening SSH server (from <see cref="SshServer.StartAsync"/>). Each accepted socket runs
/// key exchange and authentication on its own task; authenticated connections are emitted on
/// <see cref="Connections"/>. Disposing stops listening; live connections keep running (dispose
/// them, or call <see cref="DisconnectAllAsync"/>).
/// </summary>
public sealed class SshListener : IAsyncDisposable, IDisposable
{
    private readonly Socket _socket;
    private readonly SshServerOptions _options;
    private readonly ILogger _logger;
    private readonly Subject<SshServerConnection> _subject = new();
    private readonly ISubject<SshServerConnection> _connections;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<SshServerConnection, byte> _live = new();
    private readonly Task _acceptLoop;
    private readonly object _authenticatingGate = new();
    private int _unauthenticated;
    private TaskCompletionSource _noneAuthenticating = NewIdleSignal(completed: true);
    private int _disposed;

    private SshListener(Socket socket, SshServerOptions options)
    {
        _socket = socket;
        _options = options;
        _logger = options.Logger ?? NullLogger.Instance;
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
    /// connections. Completes when the listener is disposed; fails if accepting fails.
    /// </summary>
    public IObservable<SshServerConnection> Connections => _connections.AsObservable();

    /// <summary>Authenticated connections still open.</summary>
    public int ActiveConnections => _live.Count;

    /// <summary>Connections accepted but not yet authenticated.</summary>
    public int UnauthenticatedConnections => Volatile.Read(ref _unauthenticated);

    internal static SshListener Start(SshServerOptions options)
    {
        if (options.HostKeys.Count == 0)
        {
            throw new ArgumentException("At least one host key is required.", nameof(options));
        }

        var socket = new Socket(options.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (options.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(options.Address, options.Port));
            socket.Listen(512);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new SshException($"Cannot listen on {options.Address} port {options.Port}: {ex.Message}", ex);
        }

        return new SshListener(socket, options);
    }

    /// <summary>Disconnects every live connection and waits for them to end.</summary>
    public async Task DisconnectAllAsync()
    {
        await Task.WhenAll(_live.Keys.Select(c => c.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    /// <summary>Stops listening (connections already accepted keep running) and completes <see cref="Connections"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>Completes when no connection is authenticating (for tests that count slots).</summary>
    internal Task WhenNoneAuthenticatingAsync() => Volatile.Read(ref _noneAuthenticating).Task;

    /// <summary>Synchronous form of <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                Socket client = await _socket.AcceptAsync(_stop.Token).ConfigureAwait(false);
                client.NoDelay = true;
                if (IncrementAuthenticating() > _options.MaxUnauthenticatedConnections)
                {
                    DecrementAuthenticating();
                    _logger.LogWarning("Refusing connection from {Remote}: {Max} connections are already authenticating", client.RemoteEndPoint, _options.MaxUnauthenticatedConnections);
                    client.Dispose();
                    continue;
                }

                _ = Task.Run(() => ServeAsync(client));
            }
        }
        catch (Exception ex) when (_stop.IsCancellationRequested && ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            _connections.OnCompleted();
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Accepting connections failed");
            _connections.OnError(new SshException("Accepting connections failed: " + ex.Message, ex));
        }
    }

    private static TaskCompletionSource NewIdleSignal(bool completed)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            signal.SetResult();
        }

        return signal;
    }

    private int IncrementAuthenticating()
    {
        lock (_authenticatingGate)
        {
            if (_unauthenticated++ == 0)
            {
                _noneAuthenticating = NewIdleSignal(completed: false);
            }

            return _unauthenticated;
        }
    }

    private void DecrementAuthenticating()
    {
        lock (_authenticatingGate)
        {
            if (--_unauthenticated == 0)
            {
                _noneAuthenticating.TrySetResult();
            }
        }
    }

    private async Task ServeAsync(Socket client)
    {
        EndPoint? remote = client.RemoteEndPoint;
        SshServerConnection connection;
        try
        {
            connection = await SshServer.AcceptCoreAsync(new NetworkStream(client, ownsSocket: true), _options, remote, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "Connection from {Remote} failed before authentication", remote);
            return;
        }
        finally
        {
            DecrementAuthenticating();
        }

        _live.TryAdd(connection, 0);
        _ = connection.Completion.ContinueWith(_ => _live.TryRemove(connection, out byte _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _connections.OnNext(connection);
    }
}
