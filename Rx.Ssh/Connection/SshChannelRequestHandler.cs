namespace Rx.Ssh;

/// <summary>
/// Answers incoming channel requests of one name that the library does not handle itself (see
/// <see cref="SshConnection.RegisterChannelRequestHandler"/>), e.g. <c>auth-agent-req@openssh.com</c>
/// or <c>x11-req</c> on a session. It runs on the thread pool, never on the connection's dispatch
/// loop. The channel's later events wait until it returns, so replies go out in request order
/// (RFC 4254 section 5.4) and a request is seen before the data that follows it. Return true for
/// CHANNEL_SUCCESS, false for CHANNEL_FAILURE (sent only when the peer wants a reply); a handler
/// that throws is answered with failure and the channel lives on. <paramref name="cancellationToken"/>
/// is cancelled when the connection ends.
/// </summary>
/// <param name="request">The request, its channel and data.</param>
/// <param name="cancellationToken">Cancelled when the connection ends.</param>
/// <returns>Whether the request succeeded.</returns>
public delegate ValueTask<bool> SshChannelRequestHandler(SshChannelRequest request, CancellationToken cancellationToken);
