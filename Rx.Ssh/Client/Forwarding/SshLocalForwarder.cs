using System.Net;
using System.Net.Sockets;
using Rx.Ssh.Forwarding;

namespace Rx.Ssh;

/// <summary>
/// A running local forward (ssh -L), from <see cref="SshClientConnection.ForwardLocalPortAsync"/> or
/// <see cref="SshClientConnection.ForwardLocalPathAsync"/>: each connection accepted on
/// <see cref="LocalEndPoint"/> gets its own channel to the destination and the two are spliced
/// (half-close passed on each way, flow control by the channel window).
/// </summary>
/// <remarks>
/// Disposing stops listening (a UNIX socket file we created is deleted) and closes the connections
/// in flight (their local sockets are closed, their channels closed). When the SSH connection ends,
/// the listener stops by itself, every forwarded socket is closed and <see cref="Completion"/>
/// faults with <see cref="SshConnectionException"/>. Safe to dispose from any thread, more than once.
/// </remarks>
public sealed class SshLocalForwarder : IAsyncDisposable
{
    private readonly Socket[] _listeners;
    private readonly string? _unixPath;
    private readonly Func<Socket, CancellationToken, Task<SshChannelStream>> _open;
    private readonly SshConnection _connection;
    private readonly Action<SshLocalForwardConnection>? _onConnection;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IO.TaskSet _inFlight = new();
    private Task[] _accepting = [];
    private int _disposed;

    internal SshLocalForwarder(Socket[] listeners, string? unixPath, SshConnection connection, Func<Socket, CancellationToken, Task<SshChannelStream>> open, Action<SshLocalForwardConnection>? onConnection)
    {
        _listeners = listeners;
        _unixPath = unixPath;
        _connection = connection;
        _open = open;
        _onConnection = onConnection;
        LocalEndPoints = [.. listeners.Select(l => l.LocalEndPoint!)];
    }

    /// <summary>The first bound address: read the port here when port 0 was asked.</summary>
    public EndPoint LocalEndPoint => LocalEndPoints[0];

    /// <summary>Every bound address.</summary>
    public IReadOnlyList<EndPoint> LocalEndPoints { get; }

    /// <summary>
    /// Completes when the forward is disposed; faults with <see cref="SshConnectionException"/> when
    /// the SSH connection ends first, or with the <see cref="SocketException"/> that stopped accepting.
    /// </summary>
    public Task Completion => _completion.Task;

    /// <summary>Connections being forwarded now.</summary>
    public int ActiveConnections => _inFlight.Count;

    /// <summary>Stops listening and closes the connections in flight; waits until they are closed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await IgnoreFailure(_completion.Task).ConfigureAwait(false);
            return;
        }

        await StopAsync(null).ConfigureAwait(false);
    }

    /// <summary>Binds TCP listeners with OpenSSH's bind semantics: null, <c>""</c> or <c>*</c> all interfaces (dual-stack), <c>localhost</c> loopback only, else the address (or the name's addresses).</summary>
    internal static async Task<Socket[]> BindTcpAsync(string? host, int port, CancellationToken cancellationToken)
    {
        var sockets = new List<Socket>();
        try
        {
            if (string.IsNullOrEmpty(host) || host == "*")
            {
                sockets.Add(BindAny(port));
            }
            else if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                Socket v4 = Bind(new IPEndPoint(IPAddress.Loopback, port));
                sockets.Add(v4);
                if (Socket.OSSupportsIPv6 && TryBind(new IPEndPoint(IPAddress.IPv6Loopback, ((IPEndPoint)v4.LocalEndPoint!).Port)) is { } v6)
                {
                    sockets.Add(v6);
                }
            }
            else
            {
                IPAddress[] addresses = IPAddress.TryParse(host, out IPAddress? parsed)
                    ? [parsed]
                    : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
                if (addresses.Length == 0)
                {
                    throw new SocketException((int)SocketError.HostNotFound);
                }

                sockets.Add(Bind(new IPEndPoint(addresses[0], port)));
            }

            return [.. sockets];
        }
        catch
        {
            foreach (Socket socket in sockets)
            {
                socket.Dispose();
            }

            throw;
        }
    }

    /// <summary>Binds a UNIX socket listener at <paramref name="path"/> (an existing file is an error: AddressAlreadyInUse).</summary>
    internal static Socket[] BindUnix(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            socket.Listen(Backlog);
            return [socket];
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Starts accepting (after the caller reported the bound addresses) and watching the SSH connection.</summary>
    internal void Start()
    {
        _accepting = [.. _listeners.Select(AcceptAsync)];
        _ = WatchConnectionAsync();
    }

    private const int Backlog = 512;

    private static Socket BindAny(int port)
    {
        if (Socket.OSSupportsIPv6)
        {
            var dual = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
            try
            {
                dual.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
                dual.Listen(Backlog);
                return dual;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressFamilyNotSupported or SocketError.AddressNotAvailable)
            {
                dual.Dispose();
            }
        }

        return Bind(new IPEndPoint(IPAddress.Any, port));
    }

    private static Socket Bind(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false;
            }

            socket.Bind(endPoint);
            socket.Listen(Backlog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Socket? TryBind(IPEndPoint endPoint)
    {
        try
        {
            return Bind(endPoint);
        }
        catch (SocketException)
        {
            return null; // no IPv6 loopback here: IPv4 alone serves localhost
        }
    }

    private static async Task IgnoreFailure(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Reported through Completion.
        }
    }

    private async Task WatchConnectionAsync()
    {
        Exception? error = await _connection.Completion.ConfigureAwait(false);
        await StopAsync(new SshConnectionException(DisconnectReason.ConnectionLost, "The SSH connection ended; the local forward stopped.", true, error)).ConfigureAwait(false);
    }

    private async Task AcceptAsync(Socket listener)
    {
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = await listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
                if (accepted.ProtocolType == ProtocolType.Tcp)
                {
                    accepted.NoDelay = true; // as the server's forwarded sockets: small replies are not held back by Nagle
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException || _stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                _ = StopAsync(ex);
                return;
            }

            var result = new TaskCompletionSource<SshForwardResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            Task forwarding = ForwardAsync(accepted, result);
            _inFlight.Track(forwarding);
            _onConnection?.Invoke(new SshLocalForwardConnection(SafeRemote(accepted), result.Task));
        }
    }

    private static EndPoint? SafeRemote(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return null;
        }
    }

    private async Task ForwardAsync(Socket socket, TaskCompletionSource<SshForwardResult> result)
    {
        await Task.Yield();
        SshChannelStream channel;
        try
        {
            channel = await _open(socket, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            socket.Dispose();
            result.TrySetResult(new SshForwardResult(0, 0, _stop.IsCancellationRequested && ex is OperationCanceledException ? null : ex));
            return;
        }

        SpliceResult splice = await ChannelSplice.RunAsync(socket, channel, _stop.Token).ConfigureAwait(false);
        result.TrySetResult(new SshForwardResult(splice.BytesToChannel, splice.BytesFromChannel, splice.Error));
    }

    private async Task StopAsync(Exception? error)
    {
        if (_stop.IsCancellationRequested)
        {
            await IgnoreFailure(_completion.Task).ConfigureAwait(false);
            return;
        }

        try
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        foreach (Socket listener in _listeners)
        {
            listener.Dispose();
        }

        if (_unixPath is not null)
        {
            try
            {
                File.Delete(_unixPath);
            }
            catch (IOException)
            {
                // Someone else's now, or gone.
            }
        }

        await Task.WhenAll(_accepting).ConfigureAwait(false);
        await _inFlight.WhenAll().ConfigureAwait(false);
        if (error is null)
        {
            _completion.TrySetResult();
        }
        else
        {
            _completion.TrySetException(error);
        }
    }
}
