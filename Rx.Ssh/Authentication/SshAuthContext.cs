using System.Net;

namespace Rx.Ssh;

/// <summary>Who is authenticating: passed to the server's authentication callbacks.</summary>
/// <param name="UserName">The user name the client asked for.</param>
/// <param name="RemoteEndPoint">The client's address when the connection runs over a socket.</param>
/// <param name="ClientVersion">The client's identification string.</param>
public sealed record SshAuthContext(string UserName, EndPoint? RemoteEndPoint, string ClientVersion);
