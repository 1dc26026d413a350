using System.Net;
using System.Runtime.CompilerServices;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rx.Ssh.Authentication;
using Rx.Ssh.Server;
using Rx.Ssh.Server.Limits;
using Rx.Ssh.Transport;

namespace Rx.Ssh;

/// <summary>Entry point of the server side: listen for SSH clients, or serve one over a stream.</summary>
public static partial class SshServer
{
    /// <summary>The unauthenticated-connection counts of <see cref="AcceptAsync"/>, one per options instance.</summary>
    private static readonly ConditionalWeakTable<SshServerOptions, StartupLimiter> Limiters = new();

    /// <summary>
    /// Listens and emits each connection once it has authenticated. Cold: subscribing binds the
    /// socket, disposing the subscription stops listening; connections already emitted keep
    /// running until they end or are disposed. Binding errors arrive as <c>OnError</c>. Use
    /// <see cref="StartAsync"/> when the bound port is needed (port 0).
    /// </summary>
    public static IObservable<SshServerConnection> Listen(SshServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Observable.Using(
            ct => StartAsync(options, ct),
            (listener, ct) => Task.FromResult(listener.Connections));
    }

    /// <summary>Binds and starts accepting; the returned listener tells the port and emits connections.</summary>
    public static Task<SshListener> StartAsync(SshServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(SshListener.Start(options));
    }

    /// <summary>
    /// Runs the server protocol over an existing, already connected stream (an in-memory pipe, a
    /// socket accepted elsewhere, a socket we dialled: RFC 8071 call home, which
    /// <see cref="ConnectReverseAsync"/> does for TCP) and returns the connection once the client has
    /// authenticated. Everything of <paramref name="options"/> applies but <see cref="SshServerOptions.Address"/>
    /// and <see cref="SshServerOptions.Port"/> (nothing is bound): host keys, client authentication,
    /// <see cref="SshServerOptions.HandshakeTimeout"/> and <see cref="SshServerOptions.LoginGraceTime"/>
    /// (from this call on), the handler. <paramref name="remoteEndPoint"/> is who the peer is, as the
    /// handler, the logs and the per-address limits see it (null when unknown).
    /// Sessions are served by the options' handler; dispose the connection to disconnect.
    /// The stream belongs to the server from the call on: it is closed when the connection ends,
    /// and when accepting fails for any reason (the handler throwing included). The unauthenticated
    /// connection limits of <paramref name="options"/> apply (<see cref="SshServerOptions.MaxUnauthenticatedConnections"/>,
    /// random early drop, and, when <paramref name="remoteEndPoint"/> is an <see cref="IPEndPoint"/>,
    /// the per-address and per-network-block caps), counted across the calls given the same options
    /// instance; over a limit the stream is closed and this fails with an <see cref="SshConnectionException"/>
    /// whose reason is <see cref="DisconnectReason.TooManyConnections"/>.
    /// </summary>
    public static Task<SshServerConnection> AcceptAsync(Stream stream, SshServerOptions options, EndPoint? remoteEndPoint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        return AcceptLimitedAsync(stream, options, remoteEndPoint, cancellationToken);
    }

    private static async Task<SshServerConnection> AcceptLimitedAsync(Stream stream, SshServerOptions options, EndPoint? remote, CancellationToken cancellationToken)
    {
        StartupLimiter limiter;
        try
        {
            limiter = Limiters.GetValue(options, static o => new StartupLimiter(o));
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        using StartupLimiter.StartupSlot? slot = limiter.TryEnter(remote, out string refusal);
        if (slot is null)
        {
            (options.Logger ?? NullLogger.Instance).LogWarning("Refusing connection from {Remote}: {Reason}", remote, refusal);
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new SshConnectionException(DisconnectReason.TooManyConnections, "Connection refused: " + refusal + ".", true);
        }

        return await AcceptCoreAsync(stream, options, remote, cancellationToken, slot).ConfigureAwait(false);
    }

    /// <summary>Serves <paramref name="stream"/> to the end of authentication; a failure before it is reported to <paramref name="slot"/> (source penalties).</summary>
    internal static async Task<SshServerConnection> AcceptCoreAsync(Stream stream, SshServerOptions options, EndPoint? remote, CancellationToken cancellationToken, StartupLimiter.StartupSlot? slot = null)
    {
        if (options.HostKeys.Count == 0)
        {
            throw new ArgumentException("At least one host key is required.", nameof(options));
        }

        options.CheckShared(nameof(options));
        if (options.ChannelOpenHandlers?.ContainsKey("session") == true)
        {
            throw new ArgumentException("The session channel type is built in; serve sessions with ProcessHandler or Handler.", nameof(options));
        }

        ILogger logger = options.Logger ?? NullLogger.Instance;
        SshServerHandler handler;
        SshTransport transport;
        try
        {
            handler = options.HandlerFactory?.Invoke() ?? new SshServerHandler();
            handler.Attach(options, remote);
            handler.ConnectionMade(remote);
            transport = CreateTransport(stream, options, logger);
        }
        catch (Exception ex)
        {
            // Nothing owns the stream yet: close it here, or a throwing handler leaks a socket per connection.
            logger.LogWarning(ex, "Connection from {Remote} refused: the server handler failed", remote);
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        IDisposable grace = Deadline(options.LoginGraceTime, $"Login grace time of {options.LoginGraceTime.TotalSeconds:0.###} s exceeded.");
        IDisposable handshake = Deadline(options.HandshakeTimeout, $"Version and key exchange not done within {options.HandshakeTimeout.TotalSeconds:0.###} s.");
        ServerAuthResult auth;
        ServerAuthenticator? authenticator = null;
        try
        {
            using (grace)
            {
                using (handshake)
                {
                    await transport.StartAsync(cts.Token).ConfigureAwait(false);
                }

                authenticator = new ServerAuthenticator(transport, new ServerAuthPolicy(options, handler), remote);
                auth = await authenticator.AuthenticateAsync(cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            Exception error = await transport.FailAsync(ex).ConfigureAwait(false);
            await transport.DisposeAsync().ConfigureAwait(false);
            logger.LogInformation("Connection from {Remote} ended before authentication: {Error}", remote, error.Message);
            PreAuthEnd end = authenticator is { Failures: > 0 } ? PreAuthEnd.AuthenticationFailure
                : error.InnerException is TimeoutException ? PreAuthEnd.GraceExceeded
                : PreAuthEnd.NoAuthentication;
            if (slot is not null && !slot.Ended(end))
            {
                logger.LogWarning("Source penalty table full ({Max} sources): {Remote} not penalized", options.SourcePenalties.MaxSources, remote);
            }

            NotifyLost(handler, error, logger);
            throw error;
        }

        var connection = new SshServerConnection(transport, auth.UserName, remote, auth.KeyOptions, options, handler) { Certificate = auth.Certificate, ChannelSettings = options.ChannelSettings };
        options.AddHandlersTo(connection);
        connection.StartDispatch();
        options.StartTimersOn(connection);
        connection.StartUnusedTimeout(options.UnusedConnectionTimeout, options.Scheduler, logger);
        // After the last SessionRequested call: the handler's callbacks never overlap (the dispatch loop, which queues them, has ended).
        _ = connection.Completion.ContinueWith(t => connection.SessionDecisions.ContinueWith(_ => NotifyLost(handler, t.Result, logger), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            handler.Authenticated(connection);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Connection from {Remote} closed: the Authenticated callback failed", remote);
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return connection;

        // Fails the attempt when limit passes on the scheduler before the timer is disposed.
        IDisposable Deadline(TimeSpan limit, string message)
        {
            if (limit <= TimeSpan.Zero || limit == Timeout.InfiniteTimeSpan)
            {
                return System.Reactive.Disposables.Disposable.Empty;
            }

            var error = new SshConnectionException(DisconnectReason.ByApplication, message, true, new TimeoutException());
            return options.Scheduler.Schedule(limit, () =>
            {
                // Fail the transport with this error first (it records the first failure and tells
                // the client why), then wake the reader; the cancellation alone would be reported instead.
                IO.TaskFaults.Observe(transport.FailAsync(error));
                try
                {
                    cts.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // Failing the transport already ended the attempt, and it has cleaned up.
                }
            });
        }
    }

    private static SshTransport CreateTransport(Stream stream, SshServerOptions options, ILogger logger) => new(stream, new TransportSettings
    {
        IsServer = true,
        Algorithms = options.Algorithms,
        Version = options.ServerVersion,
        HostKeys = options.HostKeys,
        HostCertificates = options.HostCertificates,
        RekeyBytes = options.RekeyBytes,
        RekeyInterval = options.RekeyInterval,
        KeyExchangeTimeout = options.KeyExchangeTimeout,
        Scheduler = options.Scheduler,
        ModuliFile = options.ModuliFile,
        OutgoingPayloadFilter = options.OutgoingPayloadFilter,
        Logger = logger,
    });

    private static void NotifyLost(SshServerHandler handler, Exception? error, ILogger logger)
    {
        try
        {
            handler.ConnectionLost(error);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "ConnectionLost callback failed");
        }
    }
}
