using System.Net;
using Rx.Ssh.Keys;

namespace Rx.Ssh;

/// <summary>
/// One step of a client connection's progress, reported as it happens (see
/// <see cref="SshClient.ConnectWithEvents"/> and <see cref="SshClientOptions.ConnectionEvents"/>).
/// The steps come in this order: <see cref="SshTcpConnected"/>, <see cref="SshHostKeyAccepted"/>,
/// <see cref="SshAuthenticated"/>, then (from <see cref="SshClient.ConnectWithEvents"/> only)
/// <see cref="SshConnectionReady"/>; a failed attempt stops at the step that failed.
/// </summary>
public abstract record SshConnectionEvent;

/// <summary>
/// The TCP connection to the server is open; nothing SSH has been said yet. Not reported by the
/// overloads that take a ready stream (there is no TCP connect of ours).
/// </summary>
/// <param name="Host">The host name as given to connect.</param>
/// <param name="Port">The port.</param>
/// <param name="RemoteEndPoint">The peer's address and port as the socket reports it.</param>
public sealed record SshTcpConnected(string Host, int Port, EndPoint? RemoteEndPoint) : SshConnectionEvent
{
    /// <summary>The peer's IP address as a person reads it: IPv4 rather than IPv4-mapped IPv6; null when unknown.</summary>
    public IPAddress? RemoteAddress => RemoteEndPoint is IPEndPoint ip
        ? ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address
        : null;
}

/// <summary>
/// The server proved it holds <paramref name="HostKey"/> and the host key verifier trusted it
/// (first key exchange; reported before authentication starts).
/// </summary>
/// <param name="HostKey">The server's host key (or host certificate).</param>
public sealed record SshHostKeyAccepted(SshPublicKey HostKey) : SshConnectionEvent;

/// <summary>The server accepted the login.</summary>
/// <param name="UserName">The user logged in as.</param>
/// <param name="Method">
/// The method whose request the server answered with success: <c>none</c>, <c>publickey</c>,
/// <c>password</c> or <c>keyboard-interactive</c> (after partial successes, the last one).
/// </param>
public sealed record SshAuthenticated(string UserName, string Method) : SshConnectionEvent;

/// <summary>
/// The connection is ready for use; the last event of <see cref="SshClient.ConnectWithEvents"/>.
/// From here on <paramref name="Connection"/> belongs to the subscriber, who disposes it to disconnect.
/// </summary>
/// <param name="Connection">The authenticated connection.</param>
public sealed record SshConnectionReady(SshClientConnection Connection) : SshConnectionEvent;
