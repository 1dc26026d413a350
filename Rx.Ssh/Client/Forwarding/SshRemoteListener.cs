namespace Rx.Ssh;

/// <summary>
/// A running remote forward (ssh -R), from <see cref="SshClientConnection.ForwardRemotePortAsync"/>,
/// <see cref="SshClientConnection.ListenRemotePortAsync"/> or their UNIX-socket forms
/// (<see cref="SshClientConnection.ForwardRemotePathAsync"/>, <see cref="SshClientConnection.ListenRemotePathAsync"/>):
/// the server listens on <see cref="Port"/> (or <see cref="Path"/>) and
/// each connection it forwards is spliced to the local destination or given to the handler.
/// </summary>
/// <remarks>
/// Disposing sends <c>cancel-tcpip-forward</c> (<c>cancel-streamlocal-forward@openssh.com</c> for a path; the server stops listening), cancels the handlers'
/// token and waits for the connections in flight to end. When the SSH connection ends,
/// <see cref="Completion"/> faults with <see cref="SshConnectionException"/>. Safe to dispose more than once.
/// </remarks>
public sealed class SshRemoteListener : IAsyncDisposable
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly IO.TaskSet _inFlight = new();
    private IDisposable? _subscription;
    private int _disposed;

    private SshRemoteListener(SshRemoteForwardStarted started)
    {
        ListenHost = started.ListenHost;
        Port = started.Port;
        Path = started.Path;
    }

    /// <summary>The address the server binds, as asked.</summary>
    public string ListenHost { get; }

    /// <summary>The port the server listens on: the one it allocated when port 0 was asked.</summary>
    public int Port { get; }

    /// <summary>The socket path the server listens on, for a UNIX-socket forward; null for TCP.</summary>
    public string? Path { get; }

    /// <summary>Completes when disposed; faults with <see cref="SshConnectionException"/> when the SSH connection ends first.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Connections being forwarded or handled now.</summary>
    public int ActiveConnections => _inFlight.Count;

    /// <summary>Stops the forward (cancel request sent, handlers cancelled) and waits for the connections in flight.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _subscription?.Dispose();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _inFlight.WhenAll().ConfigureAwait(false);
        _completion.TrySetResult();
    }

    /// <summary>Subscribes to <paramref name="events"/> and returns once the server listens (or throws its refusal).</summary>
    internal static async Task<SshRemoteListener> StartAsync(
        IObservable<SshRemoteForwardEvent> events,
        Func<SshRemoteForwardRequest, CancellationToken, Task> handler,
        CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource<SshRemoteListener>(TaskCreationOptions.RunContinuationsAsynchronously);
        SshRemoteListener? listener = null;
        IDisposable subscription = events.Subscribe(
            e =>
            {
                if (e is SshRemoteForwardStarted s)
                {
                    listener = new SshRemoteListener(s);
                    started.TrySetResult(listener);
                }
                else if (e is SshRemoteForwardRequest request && listener is not null)
                {
                    listener.Handle(request, handler);
                }
            },
            error =>
            {
                if (!started.TrySetException(error))
                {
                    listener?._completion.TrySetException(error);
                }
            },
            () => started.TrySetException(new SshForwardingException("The remote forward ended before the server listened.")));
        try
        {
            SshRemoteListener result = await started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            result._subscription = subscription;
            if (Volatile.Read(ref result._disposed) != 0)
            {
                subscription.Dispose();
            }

            return result;
        }
        catch
        {
            subscription.Dispose();
            throw;
        }
    }

    private void Handle(SshRemoteForwardRequest request, Func<SshRemoteForwardRequest, CancellationToken, Task> handler)
    {
        Task running = RunAsync(request, handler);
        _inFlight.Track(running);
    }

    private async Task RunAsync(SshRemoteForwardRequest request, Func<SshRemoteForwardRequest, CancellationToken, Task> handler)
    {
        await Task.Yield();
        try
        {
            await handler(request, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A failing handler ends its own connection only (refused below if it never decided).
            request.Reject(ChannelOpenFailureReason.ConnectFailed, "The connection could not be handled.");
            return;
        }

        request.Reject(ChannelOpenFailureReason.AdministrativelyProhibited, "The connection was not accepted.");
    }
}
