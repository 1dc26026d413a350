namespace Rx.Ssh;

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
    /// a <see cref="SshHostKeyNotTrustedException"/>.
    /// </summary>
    ValueTask VerifyAsync(HostKeyContext context, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether the client should ask this server for an OpenSSH host certificate: when true it offers
    /// the certificate host key algorithms (<c>ssh-ed25519-cert-v01@openssh.com</c>...) first, and a
    /// server holding a certificate presents it, so that <see cref="VerifyAsync"/> sees it in
    /// <see cref="HostKeyContext.Certificate"/> (with the certified plain key in
    /// <see cref="HostKeyContext.Key"/>). A verifier that trusts certificate authorities answers
    /// true for the hosts they vouch for. Called once per connect, before the key exchange, on the
    /// connecting task. Default false: only plain host keys are asked for.
    /// </summary>
    /// <param name="host">The host name as the client uses it.</param>
    /// <param name="port">The port.</param>
    /// <param name="address">The address connected to, when the connection runs over a socket.</param>
    bool WantsHostCertificates(string host, int port, System.Net.IPAddress? address) => false;

    /// <summary>
    /// The key types (<c>ssh-ed25519</c>, <c>ssh-rsa</c>...) this verifier already trusts for the
    /// host: the client offers their host key algorithms first, so that a server with several host
    /// keys proves a known one. Called with <see cref="WantsHostCertificates"/>. Default none: the
    /// algorithm preferences' order stands.
    /// </summary>
    /// <param name="host">The host name as the client uses it.</param>
    /// <param name="port">The port.</param>
    /// <param name="address">The address connected to, when the connection runs over a socket.</param>
    IReadOnlyList<string> KnownKeyTypes(string host, int port, System.Net.IPAddress? address) => [];
}
