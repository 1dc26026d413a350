using Rx.Ssh.Server.Forwarding;

namespace Rx.Ssh;

/// <summary>
/// A client asked the server to listen for it: a <c>tcpip-forward</c> global request (RFC 4254
/// section 7.1, <c>ssh -R</c>) or a <c>streamlocal-forward@openssh.com</c> one (a UNIX socket path).
/// What <see cref="SshServerHandler.ListenRequestedAsync"/> and <see cref="SshServerOptions.ListenPolicy"/>
/// decide on; authorized_keys restrictions have already been applied when the application sees it.
/// </summary>
/// <remarks>
/// Bind addresses, when allowed (as sshd with <c>GatewayPorts clientspecified</c>; a policy that
/// wants sshd's default <c>GatewayPorts no</c> refuses <see cref="IsLoopbackOnly"/> false):
/// <c>""</c> and <c>*</c> listen on every interface (IPv4 and IPv6), <c>localhost</c> on
/// 127.0.0.1, an IPv4 or IPv6 literal on that address; other host names are refused (the server
/// resolves no names for a listen request).
/// </remarks>
public sealed class SshListenRequest
{
    internal SshListenRequest(SshServerConnection connection, string host, int port, string? socketPath)
    {
        Connection = connection;
        Host = host;
        Port = port;
        SocketPath = socketPath;
    }

    /// <summary>The connection the request came on.</summary>
    public SshServerConnection Connection { get; }

    /// <summary>
    /// Cancelled when the request is abandoned (the connection ends); a policy doing slow work
    /// should observe it. The same token is passed to the <see cref="SshServerHandler"/> callback.
    /// </summary>
    public CancellationToken CancellationToken { get; internal init; }

    /// <summary>True for <c>streamlocal-forward@openssh.com</c>: the server listens on <see cref="SocketPath"/>.</summary>
    public bool IsStreamLocal => SocketPath is not null;

    /// <summary>The bind address as the client sent it (see the remarks); empty for a UNIX socket.</summary>
    public string Host { get; }

    /// <summary>The port to bind; 0 lets the server choose one (the reply carries it).</summary>
    public int Port { get; }

    /// <summary>The UNIX socket path to listen on; null for TCP.</summary>
    public string? SocketPath { get; }

    /// <summary>True when the listener would accept only local connections: <c>localhost</c>, a loopback address, or a UNIX socket.</summary>
    public bool IsLoopbackOnly => IsStreamLocal || Host == "localhost" || (System.Net.IPAddress.TryParse(Host, out System.Net.IPAddress? a) && System.Net.IPAddress.IsLoopback(a));

    /// <summary>The listen address as text: <c>host:port</c> or the socket path.</summary>
    public override string ToString() => SocketPath ?? ForwardText.HostPort(Host, Port);
}
