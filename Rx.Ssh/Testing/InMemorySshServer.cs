using System.Collections.Concurrent;
using System.Reactive.Linq;
using System.Reactive.Subjects;

namespace Rx.Ssh.Testing;

/// <summary>
/// An Rx.Ssh server that accepts connections over in-memory streams instead of a socket: as many
/// clients as you like, each via <see cref="ConnectAsync"/> or an <see cref="SshHost"/> from
/// <see cref="GetHost"/> (so fleet code written against <see cref="SshHost"/> runs against many
/// in-memory servers in one test). Disposing it disconnects every connection it accepted.
/// The unauthenticated-connection caps of the options (<see cref="SshServerOptions.MaxUnauthenticatedConnections"/>,
/// random early drop, per-source caps) do not apply here, so concurrent test clients are never
/// refused at random; the handshake timeout and login grace time do.
/// </summary>
/// <example>
/// A virtual-time test of the handshake timeout, in milliseconds of real time:
/// <code>
/// var time = new HistoricalScheduler();
/// await using var server = new InMemorySshServer(options with { HandshakeTimeout = TimeSpan.FromSeconds(10), Scheduler = time });
/// Stream silent = await server.OpenStreamAsync();   // a client that never speaks
/// time.AdvanceBy(TimeSpan.FromSeconds(10));          // the server gives up now
/// </code>
/// </example>
public sealed class InMemorySshServer : IAsyncDisposable
{
    /// <summary>The host name clients use for host key checks unless told otherwise.</summary>
    public const string DefaultHostName = "in-memory";

    private readonly ConcurrentDictionary<SshServerConnection, byte> _live = new();
    // Fed by concurrent accepts: OnNext is serialized.
    private readonly ISubject<SshServerConnection> _connections = Subject.Synchronize(new Subject<SshServerConnection>());
    private readonly int _bufferSize;
    private int _disposed;

    /// <summary>A server with <paramref name="options"/> (which need at least one host key); <paramref name="bufferSize"/> bounds each direction of each in-memory stream.</summary>
    public InMemorySshServer(SshServerOptions options, int bufferSize = 1024 * 1024)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bufferSize);
        Options = options;
        _bufferSize = bufferSize;
    }

    /// <summary>The server's options.</summary>
    public SshServerOptions Options { get; }

    /// <summary>Authenticated connections as they are accepted. Hot: late subscribers see only later ones.</summary>
    public IObservable<SshServerConnection> Connections => _connections.AsObservable();

    /// <summary>Connections accepted and still open.</summary>
    public int ActiveConnections => _live.Count;

    /// <summary>
    /// Starts serving one new connection and returns the client's end of its stream, to use with
    /// <see cref="SshClient.ConnectAsync(Stream, string, int, SshClientOptions?, CancellationToken)"/>
    /// or to speak raw bytes. A server side that fails (authentication, login grace) just ends.
    /// </summary>
    public Task<Stream> OpenStreamAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        (Stream client, Stream server) = InMemoryStream.CreatePair(_bufferSize);
        IO.TaskFaults.Observe(AcceptAsync(server));
        return Task.FromResult(client);
    }

    /// <summary>Connects a new client with <paramref name="clientOptions"/>; the caller disposes it.</summary>
    public async Task<SshClientConnection> ConnectAsync(SshClientOptions clientOptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clientOptions);
        Stream stream = await OpenStreamAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SshClient.ConnectAsync(stream, DefaultHostName, 22, clientOptions, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// An <see cref="SshHost"/> that reaches this server in memory (each of its operations opens a
    /// new in-memory connection), named <paramref name="name"/> for host key checks and messages.
    /// </summary>
    public SshHost GetHost(SshClientOptions clientOptions, string name = DefaultHostName) =>
        new(name, 22, clientOptions) { OpenStream = OpenStreamAsync };

    /// <summary>Disconnects every connection accepted and stops accepting.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (SshServerConnection connection in _live.Keys)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _connections.OnCompleted();
    }

    private async Task AcceptAsync(Stream stream)
    {
        SshServerConnection connection;
        try
        {
            connection = await SshServer.AcceptCoreAsync(stream, Options, null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Failed before authentication (the handler's ConnectionLost has been told); nothing to keep.
            await stream.DisposeAsync().ConfigureAwait(false);
            return;
        }

        if (Volatile.Read(ref _disposed) != 0)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            return;
        }

        _live.TryAdd(connection, 0);
        _ = connection.Completion.ContinueWith(_ => _live.TryRemove(connection, out byte _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _connections.OnNext(connection);
    }
}
