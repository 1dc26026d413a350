using System.Net;
using System.Net.Sockets;
using System.Reactive.Concurrency;
using System.Reactive.Linq;

namespace Rx.Ssh;

/// <summary>The reverse direction (RFC 8071 call home): dial out over TCP, then act as the SSH server.</summary>
public static partial class SshServer
{
    /// <summary>
    /// Calls home: opens a TCP connection to <paramref name="host"/>:<paramref name="port"/> and acts
    /// as the SSH <em>server</em> on it (the peer, which listens, is the SSH client: see
    /// <see cref="SshClient.ListenReverse(SshClientOptions, SshReverseListenOptions?)"/>). Everything of
    /// <paramref name="options"/> applies as for <see cref="Listen"/> (host keys and certificates,
    /// client authentication, the process handler or <see cref="SshServerOptions.HandlerFactory"/>,
    /// forwarding policies, subsystems, time limits) except <see cref="SshServerOptions.Address"/> and
    /// <see cref="SshServerOptions.Port"/>, which are for listening, and the unauthenticated-connection
    /// limits, which count connections others open.
    /// </summary>
    /// <remarks>
    /// Cold, like <see cref="SshClient.Connect"/>: each subscription dials its own connection. Emits the
    /// connection once the peer has authenticated, and completes; from then on the connection belongs
    /// to the subscriber, who disposes it to disconnect (its sessions are served by the handler;
    /// <see cref="SshConnection.Completion"/> tells when the peer has gone). Disposing the subscription
    /// before it emits cancels the attempt and closes the socket; a connection that completes after that
    /// is disconnected, never leaked. The TCP connect is bounded by <see cref="SshServerOptions.HandshakeTimeout"/>
    /// (on <see cref="SshConnectionOptions.Scheduler"/>), then the handshake and login by
    /// <see cref="SshServerOptions.HandshakeTimeout"/> and <see cref="SshServerOptions.LoginGraceTime"/>
    /// as for an accepted connection. Errors: <see cref="SshConnectionException"/> (the TCP connect
    /// failing, timeouts, the peer disconnecting, e.g. because it does not trust our host key),
    /// <see cref="SshKeyExchangeException"/>, <see cref="ArgumentException"/> for options without a host key.
    /// </remarks>
    /// <param name="host">The listening SSH client's host name or address.</param>
    /// <param name="port">Its port; <see cref="SshCallHome.NetconfPort"/> (4334) for NETCONF call home.</param>
    /// <param name="options">The server's options.</param>
    public static IObservable<SshServerConnection> ConnectReverse(string host, int port, SshServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        return Observable.Create<SshServerConnection>(async (observer, ct) =>
        {
            SshServerConnection connection = await ConnectReverseAsync(host, port, options, ct).ConfigureAwait(false);
            if (ct.IsCancellationRequested)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                return;
            }

            observer.OnNext(connection);
            observer.OnCompleted();
        });
    }

    /// <summary>
    /// Calls home and returns the connection once the peer has authenticated; see
    /// <see cref="ConnectReverse"/>. The caller owns the connection (dispose it to disconnect).
    /// </summary>
    /// <param name="host">The listening SSH client's host name or address.</param>
    /// <param name="port">Its port; <see cref="SshCallHome.NetconfPort"/> (4334) for NETCONF call home.</param>
    /// <param name="options">The server's options.</param>
    /// <param name="cancellationToken">Cancels the attempt (the socket is closed).</param>
    public static async Task<SshServerConnection> ConnectReverseAsync(string host, int port, SshServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        if (options.HostKeys.Count == 0)
        {
            throw new ArgumentException("At least one host key is required.", nameof(options));
        }

        options.CheckShared(nameof(options));
        Socket socket = await DialAsync(host, port, options, cancellationToken).ConfigureAwait(false);
        EndPoint? remote;
        NetworkStream stream;
        try
        {
            remote = socket.RemoteEndPoint;
            stream = new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return await AcceptCoreAsync(stream, options, remote, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens the TCP connection within <see cref="SshServerOptions.HandshakeTimeout"/> on the options' scheduler.</summary>
    private static async Task<Socket> DialAsync(string host, int port, SshServerOptions options, CancellationToken cancellationToken)
    {
        TimeSpan limit = options.HandshakeTimeout;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        int expired = 0;
        using IDisposable timer = limit <= TimeSpan.Zero || limit == Timeout.InfiniteTimeSpan
            ? System.Reactive.Disposables.Disposable.Empty
            : options.Scheduler.Schedule(limit, () =>
            {
                Volatile.Write(ref expired, 1);
                try
                {
                    cts.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The connect has finished meanwhile.
                }
            });
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cts.Token).ConfigureAwait(false);
            return socket;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            if (Volatile.Read(ref expired) != 0 && !cancellationToken.IsCancellationRequested)
            {
                throw new SshConnectionException(DisconnectReason.ConnectionLost, $"The TCP connect to {host} port {port} timed out after {limit.TotalSeconds:0.###} s.", true, new TimeoutException(ex.Message, ex));
            }

            if (ex is SocketException se)
            {
                throw new SshConnectionException(DisconnectReason.ConnectionLost, $"Cannot connect to {host} port {port}: {se.Message}", true, se);
            }

            throw;
        }
    }
}
