namespace Rx.Ssh.Testing;

/// <summary>
/// An Rx.Ssh client and server connected in memory, both authenticated: the quickest way to test
/// session logic (a server handler, a process handler, client code) without sockets.
/// </summary>
/// <remarks>
/// Virtual time: give both sides the same <see cref="System.Reactive.Concurrency.HistoricalScheduler"/>
/// (both options' <see cref="SshConnectionOptions.Scheduler"/>), then
/// advance it to fire login grace, auth failure delays or connect timeouts at once; see
/// <see cref="InMemorySshServer"/> for an example.
/// </remarks>
public sealed class InMemorySshPair : IAsyncDisposable
{
    internal InMemorySshPair(SshClientConnection client, SshServerConnection server)
    {
        Client = client;
        Server = server;
    }

    /// <summary>The client side.</summary>
    public SshClientConnection Client { get; }

    /// <summary>The server side.</summary>
    public SshServerConnection Server { get; }

    /// <summary>
    /// Connects a client with <paramref name="clientOptions"/> to a server with
    /// <paramref name="serverOptions"/> over an in-memory stream pair (host name <c>in-memory</c>,
    /// port 22 for host key checks). Fails, with nothing left open, when either side fails: with the
    /// client's exception when the client failed, else the server's.
    /// </summary>
    public static async Task<InMemorySshPair> StartAsync(SshServerOptions serverOptions, SshClientOptions clientOptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(serverOptions);
        ArgumentNullException.ThrowIfNull(clientOptions);
        (Stream clientStream, Stream serverStream) = InMemoryStream.CreatePair();
        Task<SshServerConnection> serverTask = SshServer.AcceptCoreAsync(serverStream, serverOptions, null, cancellationToken);
        Task<SshClientConnection> clientTask = SshClient.ConnectAsync(clientStream, InMemorySshServer.DefaultHostName, 22, clientOptions, cancellationToken);
        try
        {
            await Task.WhenAll(serverTask, clientTask).ConfigureAwait(false);
        }
        catch
        {
            await DisposeQuietlyAsync(clientTask).ConfigureAwait(false);
            await DisposeQuietlyAsync(serverTask).ConfigureAwait(false);
            await clientStream.DisposeAsync().ConfigureAwait(false);
            await serverStream.DisposeAsync().ConfigureAwait(false);
            if (clientTask.IsFaulted)
            {
                // The client's error says what a test usually checks (SshPermissionDeniedException, ...).
                await clientTask.ConfigureAwait(false);
            }

            throw;
        }

        return new InMemorySshPair(await clientTask.ConfigureAwait(false), await serverTask.ConfigureAwait(false));
    }

    /// <summary>Disconnects both sides.</summary>
    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync().ConfigureAwait(false);
        await Server.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task DisposeQuietlyAsync<T>(Task<T> task)
        where T : SshConnection
    {
        if (task.IsCompletedSuccessfully)
        {
            await task.Result.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            // The failed (or still pending, now cut off) side has nothing to dispose; observe its error.
            _ = task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
