using System.Net;

namespace Rx.Ssh;

/// <summary>What a local forward (<see cref="SshClientConnection.ForwardLocalPort"/> and its variants) reports: first <see cref="SshLocalForwardStarted"/>, then one <see cref="SshLocalForwardConnection"/> per accepted connection.</summary>
public abstract class SshLocalForwardEvent
{
    private protected SshLocalForwardEvent()
    {
    }
}

/// <summary>The listener is bound and accepting: its address (the port chosen when port 0 was asked).</summary>
public sealed class SshLocalForwardStarted : SshLocalForwardEvent
{
    internal SshLocalForwardStarted(IReadOnlyList<EndPoint> localEndPoints) => LocalEndPoints = localEndPoints;

    /// <summary>The first bound address (an <see cref="IPEndPoint"/>, or a <see cref="System.Net.Sockets.UnixDomainSocketEndPoint"/> for a path).</summary>
    public EndPoint LocalEndPoint => LocalEndPoints[0];

    /// <summary>Every bound address (<c>localhost</c> binds IPv4 and, when available, IPv6 loopback on the same port).</summary>
    public IReadOnlyList<EndPoint> LocalEndPoints { get; }
}

/// <summary>One accepted local connection being forwarded over its own channel.</summary>
public sealed class SshLocalForwardConnection : SshLocalForwardEvent
{
    internal SshLocalForwardConnection(EndPoint? remoteEndPoint, Task<SshForwardResult> completion)
    {
        RemoteEndPoint = remoteEndPoint;
        Completion = completion;
    }

    /// <summary>Who connected (the accepted socket's peer; null or unnamed for a UNIX socket).</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>Completes (never faults) when the connection is over: bytes each way and the error that ended it, if any (e.g. the channel open refused).</summary>
    public Task<SshForwardResult> Completion { get; }
}

/// <summary>How one forwarded connection ended.</summary>
/// <param name="BytesToRemote">Bytes read from the local socket and sent over the channel.</param>
/// <param name="BytesFromRemote">Bytes received on the channel and written to the local socket.</param>
/// <param name="Error">Null when both directions ended with EOF (or the forward was stopped); otherwise what ended it: <see cref="SshChannelOpenException"/> for a refused open, <see cref="SshConnectionException"/> for a lost connection, a socket error.</param>
public sealed record SshForwardResult(long BytesToRemote, long BytesFromRemote, Exception? Error);
