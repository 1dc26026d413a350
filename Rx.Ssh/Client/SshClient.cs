using System.Net;
using System.Net.Sockets;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Authentication;
using Rx.Ssh.Client;
using Rx.Ssh.Client.Config;
using Rx.Ssh.Keys;
using Rx.Ssh.Transport;
using Rx.Ssh.Trust;

namespace Rx.Ssh;

/// <summary>Entry point of the client side: connect to an SSH server.</summary>
public static partial class SshClient
{
    /// <summary>
    /// Connects and authenticates. Cold: each subscription opens its own connection. Emits the
    /// connection once and completes; from then on the connection belongs to the subscriber, who
    /// disposes it to disconnect. Disposing the subscription before it emits cancels the attempt.
    /// Errors: <see cref="SshHostKeyNotTrustedException"/>, <see cref="SshPermissionDeniedException"/>,
    /// <see cref="SshKeyExchangeException"/>, <see cref="SshConnectionException"/> (timeouts included).
    /// </summary>
    /// <remarks>
    /// Each subscription is a fresh attempt, so the Rx operators behave as expected:
    /// <c>Timeout</c> disposes the attempt in progress (its socket is closed) and <c>Retry</c>
    /// subscribes again, which opens a new connection. A connection that completes after the
    /// subscription was disposed is disconnected, never leaked.
    /// </remarks>
    public static IObservable<SshClientConnection> Connect(string host, int port = 22, SshClientOptions? options = null) =>
        ConnectCold(ct => ConnectAsync(host, port, options, ct));

    /// <summary>Cold connect around <paramref name="connect"/>: one attempt per subscription; a late result after disposal is disposed.</summary>
    internal static IObservable<SshClientConnection> ConnectCold(Func<CancellationToken, Task<SshClientConnection>> connect) =>
        Observable.Create<SshClientConnection>(async (observer, ct) =>
        {
            SshClientConnection connection = await connect(ct).ConfigureAwait(false);
            if (ct.IsCancellationRequested)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                return;
            }

            observer.OnNext(connection);
            observer.OnCompleted();
        });

    /// <summary>
    /// Connects and authenticates like <see cref="Connect"/>, and reports each step as it happens:
    /// <see cref="SshTcpConnected"/> when the TCP connection is open, <see cref="SshHostKeyAccepted"/>
    /// when the server's host key is trusted, <see cref="SshAuthenticated"/> (with the method that
    /// succeeded) when the login is accepted, then <see cref="SshConnectionReady"/> carrying the
    /// connection, and completes. Cold: each subscription is its own connection attempt and sees all
    /// of its events (nothing is shared or replayed between subscriptions). Events are emitted on the
    /// connecting task before the next step starts, in order. A failed attempt emits the steps done,
    /// then <c>OnError</c> with the same errors as <see cref="Connect"/>. Disposing the subscription
    /// before <see cref="SshConnectionReady"/> cancels the attempt; after it, the connection belongs
    /// to the subscriber, who disposes it to disconnect. Any <see cref="SshClientOptions.ConnectionEvents"/>
    /// callback in <paramref name="options"/> is called too, before the observer.
    /// </summary>
    public static IObservable<SshConnectionEvent> ConnectWithEvents(string host, int port = 22, SshClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        return Observable.Create<SshConnectionEvent>(async (observer, ct) =>
        {
            SshClientOptions given = options ?? new SshClientOptions();
            Action<SshConnectionEvent>? callback = given.ConnectionEvents;
            int done = 0;
            SshClientOptions reporting = given with
            {
                ConnectionEvents = e =>
                {
                    callback?.Invoke(e);
                    if (Volatile.Read(ref done) == 0 && !ct.IsCancellationRequested)
                    {
                        observer.OnNext(e);
                    }
                },
            };
            SshClientConnection connection = await ConnectAsync(host, port, reporting, ct).ConfigureAwait(false);
            Volatile.Write(ref done, 1);
            if (ct.IsCancellationRequested)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                return;
            }

            observer.OnNext(new SshConnectionReady(connection));
            observer.OnCompleted();
        });
    }

    /// <summary>
    /// Connects, subscribes to what <paramref name="use"/> returns for the connection, forwards its
    /// values, and disconnects when it ends (before completion or the error is passed on) or when
    /// the subscription is disposed (the inner subscription is disposed first, then the connection
    /// is closed at once, so cleanup the inner operation would still send, such as
    /// <see cref="SshProcessOptions.DisposeSignal"/>, may not go out). Cold: one connection per
    /// subscription. The same as <see cref="SshHost.Using{T}"/>.
    /// </summary>
    public static IObservable<T> Using<T>(string host, int port, SshClientOptions? options, Func<SshClientConnection, IObservable<T>> use) =>
        UsingConnection(ct => ConnectAsync(host, port, options, ct), use);

    /// <summary>The one implementation of <c>Using</c>: connect per subscription, run <paramref name="use"/>, disconnect before passing on its end.</summary>
    internal static IObservable<T> UsingConnection<T>(Func<CancellationToken, Task<SshClientConnection>> connect, Func<SshClientConnection, IObservable<T>> use)
    {
        ArgumentNullException.ThrowIfNull(use);
        return Observable.Create<T>(async (observer, ct) =>
        {
            SshClientConnection connection = await connect(ct).ConfigureAwait(false);
            try
            {
                await use(connection).ForEachAsync(observer.OnNext, ct).ConfigureAwait(false);
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            observer.OnCompleted();
        });
    }

    /// <summary>
    /// Forgets the private keys kept from key files (<see cref="SshClientOptions.CacheKeyFiles"/>); the
    /// next connection reads them again. Connections already using a key are not affected.
    /// </summary>
    public static void ClearKeyFileCache() => Client.KeyFileCache.Clear();

    /// <summary>Connects and authenticates; see <see cref="Connect"/>.</summary>
    public static Task<SshClientConnection> ConnectAsync(string host, int port = 22, SshClientOptions? options = null, CancellationToken cancellationToken = default) =>
        ConnectRoutedAsync(host, port, options, 0, cancellationToken);

    /// <summary>
    /// Connects to <paramref name="host"/> the way the options say: through jump hosts, through a
    /// proxy command, or over TCP. <paramref name="hopsAbove"/> counts the jump hosts of the chains
    /// this connection is itself a hop of (a first hop may have jump hosts of its own).
    /// </summary>
    private static async Task<SshClientConnection> ConnectRoutedAsync(string host, int port, SshClientOptions? options, int hopsAbove, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        options ??= new SshClientOptions();
        ConfiguredConnect configured = ConfiguredConnect.Resolve(host, port, options);
        (host, port, options) = (configured.Host, configured.Port, configured.Options);
        options.CheckShared(nameof(options));
        if (options.ProxyJump is { Count: > 0 })
        {
            if (options.ProxyCommand is not null)
            {
                throw new ArgumentException("ProxyJump and ProxyCommand cannot both be set.", nameof(options));
            }

            return await configured.StartAsync(await ConnectThroughJumpsAsync(host, port, options, hopsAbove, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }

        SshClientConnection connection = options.ProxyCommand is { } command
            ? await ConnectThroughCommandAsync(host, port, command, options, cancellationToken).ConfigureAwait(false)
            : await ConnectTcpAsync(host, port, options, cancellationToken).ConfigureAwait(false);
        return await configured.StartAsync(connection, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<SshClientConnection> ConnectTcpAsync(string host, int port, SshClientOptions options, CancellationToken cancellationToken)
    {
        using var timeout = new TimeoutScope(options, cancellationToken);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using (IDisposable connectTimer = timeout.Arm(options.ConnectTimeout, "TCP connect"))
            {
                await socket.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            timeout.ThrowIfTimedOut(ex);
            if (ex is SocketException se)
            {
                throw new SshConnectionException(DisconnectReason.ConnectionLost, $"Cannot connect to {host} port {port}: {se.Message}", true, se);
            }

            throw;
        }

        try
        {
            options.ConnectionEvents?.Invoke(new SshTcpConnected(host, port, socket.RemoteEndPoint));
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var stream = new NetworkStream(socket, ownsSocket: true);
        return await ConnectCoreAsync(stream, host, port, socket.RemoteEndPoint, options, timeout).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the client protocol over an existing, already connected stream (an in-memory pipe, a
    /// proxy's stream, a socket the server dialled: RFC 8071 reverse direction, which
    /// <see cref="ListenReverseAsync"/> does for TCP) and returns the connection once authenticated.
    /// <paramref name="host"/> and <paramref name="port"/> name the server for the host key check
    /// (the <see cref="HostKeyContext"/> the verifier sees, e.g. the known_hosts entry looked up);
    /// nothing is dialled. Everything of <paramref name="options"/> applies but
    /// <see cref="SshClientOptions.ConnectTimeout"/>: <see cref="SshClientOptions.LoginTimeout"/>
    /// runs from this call on, so a peer that never answers fails it. Once the arguments are checked
    /// the stream belongs to the connection: it is closed when the connection ends and when connecting fails.
    /// Errors as <see cref="Connect"/>.
    /// </summary>
    public static Task<SshClientConnection> ConnectAsync(Stream stream, string host, int port = 22, SshClientOptions? options = null, CancellationToken cancellationToken = default) =>
        ConnectAsync(stream, host, port, null, options, cancellationToken);

    /// <summary><see cref="ConnectAsync(Stream, string, int, SshClientOptions?, CancellationToken)"/> with the peer's address, when known (reverse listeners).</summary>
    internal static async Task<SshClientConnection> ConnectAsync(Stream stream, string host, int port, EndPoint? remote, SshClientOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(host);
        options ??= new SshClientOptions();
        options.CheckShared(nameof(options));
        using var timeout = new TimeoutScope(options, cancellationToken);
        return await ConnectCoreAsync(stream, host, port, remote, options, timeout).ConfigureAwait(false);
    }

    private static async Task<SshClientConnection> ConnectCoreAsync(Stream stream, string host, int port, EndPoint? remote, SshClientOptions options, TimeoutScope timeout)
    {
        IO.SshLoggers loggers = options.Loggers;
        ILogger logger = loggers.Client;
        using IDisposable loginTimer = timeout.Arm(options.LoginTimeout, "login");
        ClientKeys keys;
        try
        {
            keys = await ClientKeys.LoadAsync(options, logger, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Nothing owns the stream (or the socket under it) yet.
            await stream.DisposeAsync().ConfigureAwait(false);
            timeout.ThrowIfTimedOut(ex);
            throw;
        }

        // Only authentication uses the keys: the ones read from files are cleared once it ends.
        using (keys)
        {
            IPAddress? address = (remote as IPEndPoint)?.Address;
            var transport = new SshTransport(stream, new TransportSettings
            {
                IsServer = false,
                Algorithms = options.Algorithms,
                Version = options.ClientVersion,
                RekeyBytes = options.RekeyBytes,
                RekeyInterval = options.RekeyInterval,
                KeyExchangeTimeout = options.KeyExchangeTimeout,
                Scheduler = options.Scheduler,
                OutgoingPayloadFilter = options.OutgoingPayloadFilter,
                Logger = loggers.Transport,
                VerifyHostKey = options.ConnectionEvents is null
                    ? key => options.HostKeyVerifier.VerifyAsync(HostKeyContext.ForPresentedKey(host, port, key, address), timeout.Token)
                    : async key =>
                    {
                        await options.HostKeyVerifier.VerifyAsync(HostKeyContext.ForPresentedKey(host, port, key, address), timeout.Token).ConfigureAwait(false);
                        options.ConnectionEvents(new SshHostKeyAccepted(key));
                    },
                OfferHostCertificates = options.HostKeyVerifier.WantsHostCertificates(host, port, address),
                KnownHostKeyTypes = options.HostKeyVerifier.KnownKeyTypes(host, port, address),
            });
            try
            {
                await transport.StartAsync(timeout.Token).ConfigureAwait(false);
                string method = await new ClientAuthenticator(transport, new ClientAuthSettings(options, keys), loggers.Authentication).AuthenticateAsync(timeout.Token).ConfigureAwait(false);
                options.ConnectionEvents?.Invoke(new SshAuthenticated(options.UserName, method));
            }
            catch (Exception ex)
            {
                Exception error = await transport.FailAsync(ex).ConfigureAwait(false);
                await transport.DisposeAsync().ConfigureAwait(false);
                timeout.ThrowIfTimedOut(ex);
                if (error == ex)
                {
                    throw;
                }

                throw error;
            }

            var connection = new SshClientConnection(transport, options.UserName, remote, host, port) { ChannelSettings = options.ChannelSettings, SessionDefaults = SessionDefaults.From(options), Loggers = loggers };
            options.AddHandlersTo(connection);
            if (options.ForwardAgent && ClientKeys.AgentSocketFor(options, Environment.GetEnvironmentVariable) is { } agent)
            {
                connection.ForwardAgentTo(agent, logger);
            }

            connection.StartDispatch();
            options.StartTimersOn(connection);
            return connection;
        }
    }

    /// <summary>Cancels the connect on the caller's token or when a scheduler-driven timer fires.</summary>
    private sealed class TimeoutScope : IDisposable
    {
        private readonly CancellationTokenSource _cts;
        private readonly SshClientOptions _options;
        private string? _expired;
        private TimeSpan _expiredAfter;

        public TimeoutScope(SshClientOptions options, CancellationToken cancellationToken)
        {
            _options = options;
            _cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }

        public CancellationToken Token => _cts.Token;

        public IDisposable Arm(TimeSpan after, string what)
        {
            if (after == Timeout.InfiniteTimeSpan || after <= TimeSpan.Zero)
            {
                return Disposable.Empty;
            }

            return _options.Scheduler.Schedule(after, () =>
            {
                _expired ??= what;
                _expiredAfter = after;
                _cts.Cancel();
            });
        }

        public void ThrowIfTimedOut(Exception inner)
        {
            if (_expired is not null)
            {
                throw new SshConnectionException(DisconnectReason.ConnectionLost, $"The {_expired} timed out after {_expiredAfter.TotalSeconds:0.###} s.", true, new TimeoutException(inner.Message, inner));
            }
        }

        public void Dispose() => _cts.Dispose();
    }
}
