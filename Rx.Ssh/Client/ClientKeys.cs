using Microsoft.Extensions.Logging;
using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;

namespace Rx.Ssh.Client;

/// <summary>
/// Collects the signers a client offers: explicit keys, custom signers, key files, then the default
/// files (only when none of the others is given); and their
/// certificates: explicit ones, then a <c>&lt;key file&gt;-cert.pub</c> next to each key file, as OpenSSH does.
/// Keys read from files belong to this object and are cleared when it is disposed (the caller's
/// <see cref="SshClientOptions.Keys"/> are left alone).
/// </summary>
internal sealed class ClientKeys : IDisposable
{
    public static readonly string[] DefaultFiles = ["id_ed25519", "id_ecdsa", "id_rsa"];

    private readonly List<ISshSigner> _signers;
    private readonly List<SshCertificate> _certificates;
    private readonly List<SshPrivateKey> _owned = [];

    private ClientKeys(SshClientOptions options)
    {
        _signers = [.. options.Keys, .. options.Signers];
        _certificates = [.. options.Certificates];
    }

    /// <summary>The signers to offer, in order.</summary>
    public IReadOnlyList<ISshSigner> Signers => _signers;

    /// <summary>The certificates to offer with them.</summary>
    public IReadOnlyList<SshCertificate> Certificates => _certificates;

    /// <summary>
    /// Reads the key files within <see cref="SshClientOptions.KeyLoadLimits"/>. A listed key file that
    /// cannot be read fails the load; a default file is reported and skipped (a hostile or corrupt
    /// <c>~/.ssh</c> key over the limits included).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the login timeout, say).</exception>
    public static ClientKeys Load(SshClientOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var loaded = new ClientKeys(options);
        try
        {
            foreach (string file in options.KeyFiles)
            {
                loaded.Add(SshPrivateKey.Load(file, options.Passphrase, options.KeyLoadLimits, cancellationToken));
                loaded.LoadCertificateNextTo(file, logger);
            }

            if (loaded._signers.Count == 0 && options.UseDefaultKeys)
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
                        loaded.Add(SshPrivateKey.Load(path, options.Passphrase, options.KeyLoadLimits, cancellationToken));
                        loaded.LoadCertificateNextTo(path, logger);
                    }
                    catch (SshKeyFormatException ex)
                    {
                        logger.LogWarning(SshLogEvents.Client.DefaultKeySkipped, "Skipping default key {Path}: {Message}", path, ex.Message);
                    }
                }
            }

            return loaded;
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    /// <summary>Clears the keys read from files.</summary>
    public void Dispose()
    {
        foreach (SshPrivateKey key in _owned)
        {
            key.Dispose();
        }

        _owned.Clear();
    }

    private void Add(SshPrivateKey key)
    {
        _owned.Add(key);
        _signers.Add(key);
    }

    /// <summary>Adds <c>keyFile-cert.pub</c> when it exists; a malformed one is reported and skipped (the plain key still works).</summary>
    private void LoadCertificateNextTo(string keyFile, ILogger logger)
    {
        string path = keyFile + "-cert.pub";
        if (!File.Exists(path))
        {
            return;
        }

        try
        {
            _certificates.Add(SshCertificate.Load(path));
        }
        catch (SshKeyFormatException ex)
        {
            logger.LogWarning(SshLogEvents.Client.CertificateSkipped, "Skipping certificate {Path}: {Message}", path, ex.Message);
        }
    }
}
