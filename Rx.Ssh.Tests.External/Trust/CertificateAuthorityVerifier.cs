using System.Net;

namespace Rx.Ssh.Tests.External.Trust;

/// <summary>
/// A host key verifier written outside the library that trusts host certificates signed by one CA
/// (and nothing else): it asks the client to request certificates, then checks the one presented.
/// </summary>
public sealed class CertificateAuthorityVerifier : IHostKeyVerifier
{
    private readonly SshPublicKey _authority;

    /// <summary>Creates a verifier trusting host certificates by <paramref name="authority"/>.</summary>
    public CertificateAuthorityVerifier(SshPublicKey authority) => _authority = authority;

    /// <summary>The certificate the server presented, once verified.</summary>
    public SshCertificate? Seen { get; private set; }

    /// <summary>The hosts it was asked about.</summary>
    public IList<string> AskedFor { get; } = [];

    /// <inheritdoc/>
    public bool WantsHostCertificates(string host, int port, IPAddress? address)
    {
        AskedFor.Add(host);
        return true;
    }

    /// <inheritdoc/>
    public ValueTask VerifyAsync(HostKeyContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Certificate is not { } certificate || !certificate.SignatureKey.Equals(_authority))
        {
            throw context.NotTrusted(HostKeyTrustFailure.Unknown);
        }

        certificate.Validate(SshCertificateType.Host, DateTimeOffset.UtcNow, context.Host);
        Seen = certificate;
        return ValueTask.CompletedTask;
    }
}
