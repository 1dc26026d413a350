namespace Rx.Ssh;

/// <summary>
/// A key or certificate an ssh-agent holds, as <see cref="SshAgentClient.GetIdentitiesAsync"/> lists it.
/// It is an <see cref="ISshSigner"/> that signs through that agent, valid while the client is open.
/// </summary>
public sealed class SshAgentIdentity : ISshSigner
{
    internal SshAgentIdentity(SshAgentClient agent, SshPublicKey publicKey, string comment)
    {
        Agent = agent;
        PublicKey = publicKey;
        Comment = comment;
        SignatureAlgorithms = PlainAlgorithms(publicKey);
    }

    /// <summary>The agent that holds the private key.</summary>
    public SshAgentClient Agent { get; }

    /// <summary>The public key, or the <see cref="SshCertificate"/> when the identity is a certificate.</summary>
    public SshPublicKey PublicKey { get; }

    /// <summary>The certificate when the identity is one, else null.</summary>
    public SshCertificate? Certificate => PublicKey as SshCertificate;

    /// <summary>The comment the agent keeps with the key (usually the file it was read from).</summary>
    public string Comment { get; }

    /// <summary>The plain signature algorithms of the key (of the certified key for a certificate), in preference order.</summary>
    public IReadOnlyList<string> SignatureAlgorithms { get; }

    /// <summary>Asks the agent for a signature (<see cref="SshAgentClient.SignAsync"/>).</summary>
    /// <param name="signatureAlgorithm">One of <see cref="SignatureAlgorithms"/>.</param>
    /// <param name="data">The bytes to sign.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="SshAgentException">The agent refused, failed, or did not answer in time.</exception>
    public async ValueTask<byte[]> SignAsync(string signatureAlgorithm, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        await Agent.SignAsync(PublicKey, signatureAlgorithm, data, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public override string ToString() => Comment.Length == 0 ? PublicKey.ToString() : $"{PublicKey} {Comment}";

    /// <summary>A key's plain signature algorithms: a certificate's are its key's (without <c>ssh-rsa</c>, which certificates no longer use).</summary>
    internal static IReadOnlyList<string> PlainAlgorithms(SshPublicKey key) =>
        key is SshCertificate certificate
            ? [.. certificate.SignatureAlgorithms.Select(SshCertificate.BaseAlgorithm)]
            : key.SignatureAlgorithms;
}
