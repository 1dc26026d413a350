using Rx.Ssh.Server.Forwarding;

namespace Rx.Ssh;

/// <summary>
/// A client asked the server to connect somewhere for it: a <c>direct-tcpip</c> channel (RFC 4254
/// section 7.2, <c>ssh -L</c> and <c>ssh -W host:port</c>) or a <c>direct-streamlocal@openssh.com</c>
/// channel (a UNIX socket path). What <see cref="SshServerHandler.DirectForwardRequestedAsync"/> and
/// <see cref="SshServerOptions.DirectForwardPolicy"/> decide on. The values are the client's, not
/// checked beyond their wire format (the host is not resolved); authorized_keys restrictions have
/// already been applied when the application sees the request.
/// </summary>
public sealed class SshDirectForwardRequest
{
    internal SshDirectForwardRequest(SshServerConnection connection, string channelType, string host, int port, string originatorHost, int originatorPort, string? socketPath)
    {
        Connection = connection;
        ChannelType = channelType;
        Host = host;
        Port = port;
        OriginatorHost = originatorHost;
        OriginatorPort = originatorPort;
        SocketPath = socketPath;
    }

    /// <summary>The connection the request came on (its user, key options, remote address).</summary>
    public SshServerConnection Connection { get; }

    /// <summary>
    /// Cancelled when the request is abandoned (the connection ends); a policy doing slow work
    /// should observe it. The same token is passed to the <see cref="SshServerHandler"/> callback.
    /// </summary>
    public CancellationToken CancellationToken { get; internal init; }

    /// <summary><c>direct-tcpip</c> or <c>direct-streamlocal@openssh.com</c>.</summary>
    public string ChannelType { get; }

    /// <summary>True for <c>direct-streamlocal@openssh.com</c>: the destination is <see cref="SocketPath"/>.</summary>
    public bool IsStreamLocal => SocketPath is not null;

    /// <summary>The destination host as the client sent it (a name or an address); empty for a UNIX socket.</summary>
    public string Host { get; }

    /// <summary>The destination port (0 to 65535); 0 for a UNIX socket.</summary>
    public int Port { get; }

    /// <summary>The address the client says the connection came from on its side (informational; empty for a UNIX socket).</summary>
    public string OriginatorHost { get; }

    /// <summary>The originator's port (informational).</summary>
    public int OriginatorPort { get; }

    /// <summary>The UNIX socket path of a <c>direct-streamlocal@openssh.com</c> request; null for TCP.</summary>
    public string? SocketPath { get; }

    /// <summary>The destination as text: <c>host:port</c>, <c>[v6]:port</c> or the socket path.</summary>
    public override string ToString() => SocketPath ?? ForwardText.HostPort(Host, Port);
}
