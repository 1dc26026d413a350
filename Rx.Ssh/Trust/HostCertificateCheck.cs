using Rx.Ssh.Keys.Certificates;

namespace Rx.Ssh.Trust;

/// <summary>
/// How <see cref="KnownHostsVerifier"/> checks a host certificate, as ssh does: <c>@revoked</c> lines
/// naming the certificate, its key or its CA refuse it; an <c>@cert-authority</c> line for the host
/// with the signing CA makes the certificate decide (it must verify, be a host certificate, be valid
/// now and name the host among its principals); with no such line the plain key is checked as usual.
/// </summary>
internal static class HostCertificateCheck
{
    /// <summary>True when a trusted CA vouches for the certificate; false to fall back to the plain key.</summary>
    /// <exception cref="SshHostKeyNotTrustedException">The certificate, its key or its CA is revoked, or a trusted CA's certificate is not valid for the host.</exception>
    public static async ValueTask<bool> VerifyAsync(KnownHostsVerifier verifier, HostKeyContext context, DateTimeOffset now, CancellationToken cancellationToken)
    {
        SshCertificate certificate = context.Certificate!;
        var authorities = new List<KnownHostsEntry>();
        foreach (string path in verifier.Paths)
        {
            KnownHostsFile file = await KnownHostsFile.LoadAsync(path, cancellationToken).ConfigureAwait(false);
            foreach (KnownHostsEntry entry in file.Entries)
            {
                if (!entry.Matches(context.Host, context.Port))
                {
                    continue;
                }

                if (entry.Marker == KnownHostsMarker.Revoked
                    && (entry.HasKey(certificate.Key.Blob.Span) || entry.HasKey(certificate.SignatureKey.Blob.Span) || entry.HasKey(certificate.Blob.Span)))
                {
                    throw new SshHostKeyNotTrustedException(context.Host, context.Port, certificate.KeyType, context.Fingerprint, new SshCertificateException(
                        SshCertificateProblem.Revoked,
                        $"{entry.Path}:{entry.LineNumber} marks {(entry.HasKey(certificate.SignatureKey.Blob.Span) ? "its CA " + certificate.SignatureKey.GetFingerprint() : "it")} @revoked"));
                }

                if (entry.Marker == KnownHostsMarker.CertificateAuthority && entry.HasKey(certificate.SignatureKey.Blob.Span))
                {
                    authorities.Add(entry);
                }
            }
        }

        if (authorities.Count == 0)
        {
            return false;
        }

        try
        {
            certificate.Validate(SshCertificateType.Host, now, context.Host);
        }
        catch (SshCertificateException problem)
        {
            throw new SshHostKeyNotTrustedException(context.Host, context.Port, certificate.KeyType, context.Fingerprint, problem);
        }

        return true;
    }
}
