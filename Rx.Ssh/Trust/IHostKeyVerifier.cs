namespace Rx.Ssh.Trust;

/// <summary>
/// Decides whether the client trusts a server's host key. The connection proceeds only when
/// <see cref="VerifyAsync"/> completes normally.
/// </summary>
/// <remarks>
/// Ready-made policies: <see cref="KnownHostsVerifier"/> (OpenSSH's known_hosts files, the default),
/// <see cref="CallbackHostKeyVerifier"/> (the application decides) and
/// <see cref="InsecureAcceptAnyHostKey"/> (no checking at all).
/// </remarks>
public interface IHostKeyVerifier
{
    /// <summary>
    /// Completes normally when the key is trusted; otherwise throws (or returns a faulted task with)
    /// a <see cref="HostKeyNotTrustedException"/>.
    /// </summary>
    ValueTask VerifyAsync(HostKeyContext context, CancellationToken cancellationToken = default);
}
