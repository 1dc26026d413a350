using Microsoft.Extensions.Logging;
using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;

namespace Rx.Ssh;

/// <summary>
/// Collects the keys a client offers: explicit keys, key files, then the default files; and their
/// certificates: explicit ones, then a <c>&lt;key file&gt;-cert.pub</c> next to each key file, as OpenSSH does.
/// </summary>
internal static class ClientKeys
{
    public static readonly string[] DefaultFiles = ["id_ed25519", "id_ecdsa", "id_rsa"];

    public static IReadOnlyList<SshPrivateKey> Load(SshClientOptions options, ILogger logger, out IReadOnlyList<SshCertificate> certificates)
    {
        var keys = new List<SshPrivateKey>(options.Keys);
        var certs = new List<SshCertificate>(options.Certificates);
        certificates = certs;
        foreach (string file in options.KeyFiles)
        {
            keys.Add(SshPrivateKey.Load(file, options.Passphrase));
            LoadCertificateNextTo(file, certs, logger);
        }

        if (keys.Count == 0 && options.UseDefaultKeys)
        {
            string sshDir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh");
            foreach (string name in DefaultFiles)
            {
                string path = Path.Combine(sshDir, name);
                if (!File.Exists(path))
                {
                    continue;
                }

                try
                {
                    keys.Add(SshPrivateKey.Load(path, options.Passphrase));
                    LoadCertificateNextTo(path, certs, logger);
                }
                catch (SshKeyFormatException ex)
                {
                    logger.LogWarning("Skipping default key {Path}: {Message}", path, ex.Message);
                }
            }
        }

        return keys;
    }

    /// <summary>Adds <c>keyFile-cert.pub</c> when it exists; a malformed one is reported and skipped (the plain key still works).</summary>
    private static void LoadCertificateNextTo(string keyFile, List<SshCertificate> certificates, ILogger logger)
    {
        string path = keyFile + "-cert.pub";
        if (!File.Exists(path))
        {
            return;
        }

        try
        {
            certificates.Add(SshCertificate.Load(path));
        }
        catch (SshKeyFormatException ex)
        {
            logger.LogWarning("Skipping certificate {Path}: {Message}", path, ex.Message);
        }
    }
}
