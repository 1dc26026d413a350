using System.Net;

namespace Rx.Ssh;

/// <summary>Who is authenticating: passed to the server's authentication callbacks.</summary>
/// <param name="UserName">The user name the client asked for.</param>
/// <param name="RemoteEndPoint">The client's address when the connection runs over a socket.</param>
/// <param name="ClientVersion">The client's identification string.</param>
public sealed record SshAuthContext(string UserName, EndPoint? RemoteEndPoint, string ClientVersion)
{
    /// <summary>
    /// Cancelled when the attempt is abandoned: the login grace time runs out, or the server stops
    /// (the token given to <see cref="SshServer.AcceptAsync(System.IO.Stream, SshServerOptions, System.Net.EndPoint?, CancellationToken)"/>
    /// or the listener's disposal). Validators that do slow work (a directory lookup, a database)
    /// should observe it; the same token is passed to the <see cref="SshServerHandler"/> callbacks.
    /// Nothing is read from the client while a callback runs, so a client that leaves meanwhile is
    /// noticed when it returns.
    /// </summary>
    public CancellationToken CancellationToken { get; init; }
}
