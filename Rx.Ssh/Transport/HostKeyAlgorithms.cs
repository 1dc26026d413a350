using Rx.Ssh.Algorithms;
using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;

namespace Rx.Ssh.Transport;

/// <summary>
/// The host key algorithm list a side offers in KEXINIT, including OpenSSH certificate forms
/// (<c>ssh-ed25519-cert-v01@openssh.com</c>...), and the key and blob the server signs with.
/// </summary>
internal static class HostKeyAlgorithms
{
    /// <summary>
    /// Server: the certificate forms it holds certificates for, then the plain algorithms it holds keys for.
    /// Client: the certificate forms first when <see cref="TransportSettings.OfferHostCertificates"/>, then the plain ones.
    /// Certificate names listed in <paramref name="preferences"/> are kept where they are.
    /// Client with <see cref="TransportSettings.KnownHostKeyTypes"/>: the algorithms of those key types
    /// (and the certificate forms, when offered) move to the front, keeping their relative order.
    /// </summary>
    public static IEnumerable<string> Offered(TransportSettings settings, IReadOnlyList<string> preferences)
    {
        string[] known = [.. preferences.Where(n => AlgorithmCatalog.HostKey.Contains(SshCertificate.BaseAlgorithm(n))).Distinct(StringComparer.Ordinal)];
        string[] plain = [.. known.Where(n => !SshCertificate.IsCertificateType(n))];
        IEnumerable<string> certificates = settings.IsServer || settings.OfferHostCertificates
            ? plain.Select(n => n + SshCertificate.Suffix)
            : [];
        string[] all = [.. certificates.Concat(known).Distinct(StringComparer.Ordinal)];
        if (settings.IsServer)
        {
            return all.Where(n => ServerCanSign(settings, n));
        }

        if (settings.KnownHostKeyTypes.Count == 0)
        {
            return all;
        }

        bool First(string algorithm) =>
            (settings.OfferHostCertificates && SshCertificate.IsCertificateType(algorithm))
            || settings.KnownHostKeyTypes.Contains(KeyTypeOf(SshCertificate.BaseAlgorithm(algorithm)), StringComparer.Ordinal);
        return all.Where(First).Concat(all.Where(n => !First(n)));
    }

    /// <summary>The key type a plain host key algorithm signs with (<c>rsa-sha2-512</c> is an <c>ssh-rsa</c> key).</summary>
    private static string KeyTypeOf(string algorithm) =>
        RsaPublicKey.HashOf(algorithm) is not null ? RsaPublicKey.TypeName : algorithm;

    /// <summary>Server: the private key for <paramref name="algorithm"/> and the blob to send (the certificate for certificate algorithms).</summary>
    public static (SshPrivateKey Key, byte[] Blob) ServerKey(TransportSettings settings, string algorithm)
    {
        if (SshCertificate.IsCertificateType(algorithm))
        {
            foreach (SshCertificate certificate in settings.HostCertificates)
            {
                if (certificate.SignatureAlgorithms.Contains(algorithm) && settings.HostKeys.FirstOrDefault(k => k.PublicKey.Equals(certificate.Key)) is { } key)
                {
                    return (key, certificate.Blob.ToArray());
                }
            }
        }

        SshPrivateKey hostKey = settings.HostKeys.First(k => k.SignatureAlgorithms.Contains(algorithm));
        return (hostKey, hostKey.PublicKey.Blob.ToArray());
    }

    private static bool ServerCanSign(TransportSettings settings, string algorithm)
    {
        if (!SshCertificate.IsCertificateType(algorithm))
        {
            return settings.HostKeys.Any(k => k.SignatureAlgorithms.Contains(algorithm));
        }

        return settings.HostCertificates.Any(c => c.SignatureAlgorithms.Contains(algorithm) && settings.HostKeys.Any(k => k.PublicKey.Equals(c.Key)));
    }
}
