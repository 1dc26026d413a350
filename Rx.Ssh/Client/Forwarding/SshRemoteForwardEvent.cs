using System.Net.Sockets;

namespace Rx.Ssh;

/// <summary>What a remote forward (<see cref="SshClientConnection.ListenRemotePort"/>, <see cref="SshClientConnection.ForwardRemotePort"/> and the path variants) reports: first <see cref="SshRemoteForwardStarted"/>, then one item per connection the server forwards.</summary>
public abstract class SshRemoteForwardEvent
{
    private protected SshRemoteForwardEvent()
    {
    }
}

/// <summary>The server is listening for us.</summary>
public sealed class SshRemoteForwardStarted : SshRemoteForwardEvent
{
    internal SshRemoteForwardStarted(string listenHost, int port, string? path)
    {
        ListenHost = listenHost;
        Port = port;
        Path = path;
    }

    /// <summary>The address the server binds, as asked.</summary>
    public string ListenHost { get; }

    /// <summary>The port the server listens on: the one it allocated when port 0 was asked; 0 for a socket path.</summary>
    public int Port { get; }

    /// <summary>The socket path on the server for <c>streamlocal-forward@openssh.com</c>; null for TCP.</summary>
    public string? Path { get; }
}

/// <summary>
/// A connection the server forwards to us (a <c>forwarded-tcpip</c> or
/// <c>forwarded-streamlocal@openssh.com</c> channel matched to our listener), not yet decided:
/// <see cref="Accept"/> it (the stream is the connection), <see cref="ForwardToAsync(string, int, CancellationToken)"/>
/// it to a local service, or <see cref="Reject"/> it with a reason code and text. Exactly one
/// decision counts. One left undecided stays pending (and counts toward the connection's bound of
/// pending opens) until decided or the SSH connection ends.
/// </summary>
public sealed class SshRemoteForwardRequest : SshRemoteForwardEvent
{
    private readonly SshPendingChannel _pending;

    internal SshRemoteForwardRequest(SshPendingChannel pending, string connectedHost, int connectedPort, string originatorHost, int originatorPort)
    {
        _pending = pending;
        ConnectedHost = connectedHost;
        ConnectedPort = connectedPort;
        OriginatorHost = originatorHost;
        OriginatorPort = originatorPort;
    }

    /// <summary>The address that was connected (the listen address, or the socket path for a UNIX forward).</summary>
    public string ConnectedHost { get; }

    /// <summary>The port that was connected; 0 for a UNIX forward.</summary>
    public int ConnectedPort { get; }

    /// <summary>Who connected to the server's listener (as the server reports it; empty for a UNIX forward).</summary>
    public string OriginatorHost { get; }

    /// <summary>The originator's port.</summary>
    public int OriginatorPort { get; }

    /// <summary>True once accepted, rejected or abandoned.</summary>
    public bool IsDecided => _pending.IsDecided;

    /// <summary>Accepts the connection; the caller owns the stream (dispose it to close the connection).</summary>
    /// <returns>The connection's bytes, with half-close.</returns>
    /// <exception cref="InvalidOperationException">Already decided.</exception>
    public SshChannelStream Accept() => _pending.Accept();

    /// <summary>Refuses the connection with <paramref name="reason"/> and <paramref name="description"/> (shown to the server).</summary>
    /// <param name="reason">The reason code.</param>
    /// <param name="description">A short text.</param>
    /// <returns>True if this call refused it.</returns>
    public bool Reject(ChannelOpenFailureReason reason, string description) => _pending.Reject(reason, description);

    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/> locally, then accepts and splices
    /// the two (half-close passed on each way); a local connect failure refuses the channel with
    /// CONNECT_FAILED. Completes when the connection is over.
    /// </summary>
    /// <param name="host">The local destination host.</param>
    /// <param name="port">The local destination port.</param>
    /// <param name="cancellationToken">Closes the connection.</param>
    /// <returns>Bytes each way and the error that ended it, if any; never faults.</returns>
    public Task<SshForwardResult> ForwardToAsync(string host, int port, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        return ForwardToAsync(
            async ct =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(host, port, ct).ConfigureAwait(false);
                    return socket;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            cancellationToken);
    }

    /// <summary>As <see cref="ForwardToAsync(string, int, CancellationToken)"/>, to the local UNIX socket <paramref name="path"/>.</summary>
    /// <param name="path">The local socket path.</param>
    /// <param name="cancellationToken">Closes the connection.</param>
    /// <returns>Bytes each way and the error that ended it, if any; never faults.</returns>
    public Task<SshForwardResult> ForwardToPathAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ForwardToAsync(
            async ct =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct).ConfigureAwait(false);
                    return socket;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            cancellationToken);
    }

    private async Task<SshForwardResult> ForwardToAsync(Func<CancellationToken, Task<Socket>> connect, CancellationToken cancellationToken)
    {
        Socket socket;
        try
        {
            socket = await connect(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Reject(ChannelOpenFailureReason.ConnectFailed, "The forwarding destination could not be reached.");
            return new SshForwardResult(0, 0, ex);
        }

        SshChannelStream channel;
        try
        {
            channel = Accept();
        }
        catch (Exception ex)
        {
            socket.Dispose();
            return new SshForwardResult(0, 0, ex);
        }

        Forwarding.SpliceResult splice = await Forwarding.ChannelSplice.RunAsync(socket, channel, cancellationToken).ConfigureAwait(false);
        return new SshForwardResult(splice.BytesToChannel, splice.BytesFromChannel, splice.Error);
    }
}

/// <summary>A connection the server forwarded and that <see cref="SshClientConnection.ForwardRemotePort"/> is splicing to the local destination.</summary>
public sealed class SshRemoteForwardConnection : SshRemoteForwardEvent
{
    internal SshRemoteForwardConnection(string originatorHost, int originatorPort, Task<SshForwardResult> completion)
    {
        OriginatorHost = originatorHost;
        OriginatorPort = originatorPort;
        Completion = completion;
    }

    /// <summary>Who connected to the server's listener, as the server reports it.</summary>
    public string OriginatorHost { get; }

    /// <summary>The originator's port.</summary>
    public int OriginatorPort { get; }

    /// <summary>Completes (never faults) when the connection is over: bytes each way (to remote = read from the local destination) and the error, if any.</summary>
    public Task<SshForwardResult> Completion { get; }
}
