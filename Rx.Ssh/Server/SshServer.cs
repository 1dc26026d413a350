using System.Net;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rx.Ssh.Authentication;
using Rx.Ssh.Transport;

namespace Rx.Ssh;

/// <summary>Entry point of the server side: listen for SSH clients, or serve one over a stream.</summary>
public static class SshServer
{
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
    /// Runs the server protocol over an existing stream (an in-memory pipe, a socket we dialled:
    /// RFC 8071 call home) and returns the connection once the client has authenticated.
    /// Sessions are served by the options' handler; dispose the connection to disconnect.
    /// </summary>
    public static Task<SshServerConnection> AcceptAsync(Stream stream, SshServerOptions options, EndPoint? remoteEndPoint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        return AcceptCoreAsync(stream, options, remoteEndPoint, cancellationToken);
    }

    internal static async Task<SshServerConnection> AcceptCoreAsync(Stream stream, SshServerOptions options, EndPoint? remote, CancellationToken cancellationToken)
    {
        if (options.HostKeys.Count == 0)
        {
            throw new ArgumentException("At least one host key is required.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.KeepAliveCountMax, nameof(options) + "." + nameof(options.KeepAliveCountMax));

        ILogger logger = options.Logger ?? NullLogger.Instance;
        SshServerHandler handler = options.HandlerFactory?.Invoke() ?? new SshServerHandler();
        handler.Attach(options, remote);
        handler.ConnectionMade(remote);
        var transport = new SshTransport(stream, new TransportSettings
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
            Logger = logger,
        });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var graceError = new SshConnectionException(DisconnectReason.ByApplication, $"Login grace time of {options.LoginGraceTime.TotalSeconds:0.###} s exceeded.", true, new TimeoutException());
        IDisposable grace = options.LoginGraceTime > TimeSpan.Zero && options.LoginGraceTime != Timeout.InfiniteTimeSpan
            ? options.Scheduler.Schedule(options.LoginGraceTime, () =>
            {
                // Fail the transport with the grace error first (it records the first failure and tells
                // the client why), then wake the reader; the cancellation alone would be reported instead.
                _ = transport.FailAsync(graceError);
                try
                {
                    cts.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // Failing the transport already ended the attempt, and it has cleaned up.
                }
            })
            : System.Reactive.Disposables.Disposable.Empty;
        ServerAuthResult auth;
        try
        {
            using (grace)
            {
                await transport.StartAsync(cts.Token).ConfigureAwait(false);
                auth = await new ServerAuthenticator(transport, options, handler, remote).AuthenticateAsync(cts.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            Exception error = await transport.FailAsync(ex).ConfigureAwait(false);
            await transport.DisposeAsync().ConfigureAwait(false);
            logger.LogInformation("Connection from {Remote} ended before authentication: {Error}", remote, error.Message);
            NotifyLost(handler, error, logger);
            throw error;
        }

        var connection = new SshServerConnection(transport, auth.UserName, remote, auth.KeyOptions, options, handler) { Certificate = auth.Certificate };
        connection.StartDispatch();
        connection.StartKeepAlive(options.KeepAliveInterval, options.KeepAliveCountMax, options.Scheduler);
        _ = connection.Completion.ContinueWith(t => NotifyLost(handler, t.Result, logger), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        handler.Authenticated(connection);
        return connection;
    }

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
