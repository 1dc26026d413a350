namespace Rx.Ssh.Server.Limits;

/// <summary>How a connection ended before it authenticated, for <see cref="SshSourcePenalties"/>.</summary>
internal enum PreAuthEnd
{
    /// <summary>At least one authentication attempt failed, none succeeded.</summary>
    AuthenticationFailure,

    /// <summary>It ended with no failed attempt (disconnect, protocol error, not SSH).</summary>
    NoAuthentication,

    /// <summary>The login grace time or the handshake timeout ran out.</summary>
    GraceExceeded,
}
