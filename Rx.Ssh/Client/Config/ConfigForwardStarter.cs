using Microsoft.Extensions.Logging;

namespace Rx.Ssh.Client.Config;

/// <summary>Starts one configured forward with the connection's forwarding API and waits until it listens.</summary>
internal static class ConfigForwardStarter
{
    /// <summary>
    /// Subscribes to the forward and returns the subscription once its first event (started) came;
    /// a failure before that is thrown, one after it (the connection ending) is logged at debug.
    /// </summary>
    public static async Task<IDisposable> StartAsync(SshClientConnection connection, ConfigForward forward, bool gatewayPorts, ILogger logger, CancellationToken cancellationToken)
    {
        // As ssh: locally loopback unless GatewayPorts; on the server "localhost" unless given ("*" is every interface).
        string? local = forward.ListenHost ?? (gatewayPorts ? null : "localhost");
        string remote = forward.ListenHost is null ? "localhost" : forward.ListenHost == "*" ? string.Empty : forward.ListenHost;
        return forward switch
        {
            { Kind: ConfigForwardKind.Dynamic } => await ListenAsync(connection.ForwardSocks(local, forward.ListenPort), forward, logger, cancellationToken).ConfigureAwait(false),
            { Kind: ConfigForwardKind.Local, ListenPath: { } from, DestinationPath: { } to } => await ListenAsync(connection.ForwardLocalPathToPath(from, to), forward, logger, cancellationToken).ConfigureAwait(false),
            { Kind: ConfigForwardKind.Local, ListenPath: { } from } => await ListenAsync(connection.ForwardLocalPath(from, forward.DestinationHost!, forward.DestinationPort), forward, logger, cancellationToken).ConfigureAwait(false),
            { Kind: ConfigForwardKind.Local, DestinationPath: { } to } => await ListenAsync(connection.ForwardLocalPortToPath(local, forward.ListenPort, to), forward, logger, cancellationToken).ConfigureAwait(false),
            { Kind: ConfigForwardKind.Local } => await ListenAsync(connection.ForwardLocalPort(local, forward.ListenPort, forward.DestinationHost!, forward.DestinationPort), forward, logger, cancellationToken).ConfigureAwait(false),
            { Kind: ConfigForwardKind.Remote, ListenPath: { } from, DestinationPath: { } to } => await ListenAsync(connection.ForwardRemotePath(from, to), forward, logger, cancellationToken).ConfigureAwait(false),
            _ => await ListenAsync(connection.ForwardRemotePort(remote, forward.ListenPort, forward.DestinationHost!, forward.DestinationPort), forward, logger, cancellationToken).ConfigureAwait(false),
        };
    }

    private static async Task<IDisposable> ListenAsync<T>(IObservable<T> events, ConfigForward forward, ILogger logger, CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IDisposable subscription = events.Subscribe(
            _ => started.TrySetResult(),
            error =>
            {
                if (!started.TrySetException(error))
                {
                    logger.LogDebug(SshLogEvents.Client.ConfigForwardEnded, "{Kind}Forward {Forward} ended: {Error}", forward.Kind, forward.Text, error.Message);
                }
            },
            () => started.TrySetResult());
        try
        {
            await started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            subscription.Dispose();
            throw;
        }

        logger.LogDebug(SshLogEvents.Client.ConfigForwardStarted, "{Kind}Forward {Forward} started", forward.Kind, forward.Text);
        return subscription;
    }
}
