namespace Rx.Ssh;

/// <summary>
/// Something that can sign for SSH client authentication without handing over the private key: an
/// in-process <see cref="SshPrivateKey"/> (which implements this synchronously), or a key held
/// elsewhere, such as an ssh-agent, a hardware token or a remote signing service, whose signature
/// arrives asynchronously. Give signers to the client in <c>SshClientOptions.Signers</c>.
/// </summary>
/// <remarks>
/// The client calls <see cref="SignAsync"/> once per <c>publickey</c> attempt, from the connecting
/// task, and awaits it without blocking a thread. If it throws, the client logs the error, goes on
/// with the next key or method, and puts the error in the <c>InnerException</c> of the
/// <c>SshPermissionDeniedException</c> if the login is finally refused. The token
/// is the connect's (the login timeout included): a signer should honour it; one that ignores it is
/// abandoned when the token fires, and the connect fails with the timeout or cancellation.
/// </remarks>
public interface ISshSigner
{
    /// <summary>
    /// The public key the signatures verify with; a <see cref="SshCertificate"/> when the
    /// signer offers a certificate (as an agent can). The client offers a plain key's matching
    /// certificates from <c>SshClientOptions.Certificates</c> before the key itself.
    /// </summary>
    SshPublicKey PublicKey { get; }

    /// <summary>
    /// The plain signature algorithms this signer can produce, in preference order (for an RSA key
    /// <c>rsa-sha2-512</c>, <c>rsa-sha2-256</c>, <c>ssh-rsa</c>, or fewer when the signer cannot do
    /// them all; a certificate's <c>-cert-v01@openssh.com</c> names are understood as their plain
    /// algorithm). The client picks the first one the server accepts.
    /// </summary>
    IReadOnlyList<string> SignatureAlgorithms { get; }

    /// <summary>
    /// Signs <paramref name="data"/> with <paramref name="signatureAlgorithm"/> (one of
    /// <see cref="SignatureAlgorithms"/>) and returns the SSH signature blob
    /// (<c>string algorithm, string signature</c>, RFC 4253 section 6.6), whose algorithm name must be
    /// <paramref name="signatureAlgorithm"/>. <paramref name="data"/> is valid only until the returned
    /// task completes.
    /// </summary>
    /// <param name="signatureAlgorithm">The plain signature algorithm, e.g. <c>rsa-sha2-256</c> or <c>ssh-ed25519</c>.</param>
    /// <param name="data">The bytes to sign.</param>
    /// <param name="cancellationToken">Cancels the signing (the connect's token).</param>
    ValueTask<byte[]> SignAsync(string signatureAlgorithm, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);
}
