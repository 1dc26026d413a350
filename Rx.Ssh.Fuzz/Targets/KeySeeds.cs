using System.Security.Cryptography;
using Rx.Ssh.Keys;

namespace Rx.Ssh.Fuzz.Targets;

/// <summary>Keys of every type, made once per run, and their texts in every format the library reads: the seeds of the key, certificate and trust-file targets.</summary>
internal static class KeySeeds
{
    /// <summary>The passphrase of the encrypted seeds (the key target tries it).</summary>
    public const string Passphrase = "fuzz";

    private static readonly Lazy<SshPrivateKey[]> LazyKeys = new(() =>
    [
        SshPrivateKey.Generate("ssh-ed25519"),
        SshPrivateKey.Generate("ecdsa-sha2-nistp256"),
        SshPrivateKey.Generate("ecdsa-sha2-nistp384"),
        SshPrivateKey.Generate("ecdsa-sha2-nistp521"),
        SshPrivateKey.Generate("ssh-rsa", 1024),
    ]);

    /// <summary>One key of each type.</summary>
    public static IReadOnlyList<SshPrivateKey> Keys => LazyKeys.Value;

    /// <summary>Private key files: OpenSSH (plain, and encrypted with each cipher), PuTTY v2/v3, PKCS#1, SEC1 and PKCS#8 PEM (plain and encrypted).</summary>
    public static IEnumerable<string> PrivateKeyTexts()
    {
        var putty3 = new PuttyKeyFileOptions { Argon2MemoryKiB = 64, Argon2Passes = 1 };
        var putty2 = new PuttyKeyFileOptions { Version = 2 };
        foreach (SshPrivateKey key in Keys)
        {
            yield return key.ToOpenSshPrivateKey();
            yield return key.ToPuttyPrivateKey();
            yield return key.ToPuttyPrivateKey(Passphrase, putty3);
            yield return key.ToPuttyPrivateKey(Passphrase, putty2);
        }

        foreach (string cipher in SshPrivateKey.OpenSshPrivateKeyCiphers)
        {
            yield return Keys[0].ToOpenSshPrivateKey(Passphrase, cipher);
        }

        var pbe = new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 2);
        using (var rsa = RSA.Create(1024))
        {
            yield return rsa.ExportRSAPrivateKeyPem();
            yield return rsa.ExportPkcs8PrivateKeyPem();
            yield return rsa.ExportEncryptedPkcs8PrivateKeyPem(Passphrase, pbe);
        }

        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        yield return ec.ExportECPrivateKeyPem();
        yield return ec.ExportPkcs8PrivateKeyPem();
        yield return ec.ExportEncryptedPkcs8PrivateKeyPem(Passphrase, pbe);
    }

    /// <summary>Public key lines in OpenSSH format, with comments.</summary>
    public static IEnumerable<string> PublicKeyLines() => Keys.Select(k => k.PublicKey.ToOpenSshString("fuzz@example"));

    /// <summary>A user and a host certificate with principals, options and extensions, in OpenSSH line format.</summary>
    public static IEnumerable<string> CertificateLines()
    {
        SshPrivateKey ca = Keys[0];
        yield return new SshCertificateBuilder(Keys[1].PublicKey, SshCertificateType.User, "user-cert")
        {
            Serial = 7,
            Principals = ["alice", "bob"],
            ValidAfter = DateTimeOffset.UnixEpoch,
            CriticalOptions = new Dictionary<string, string> { ["force-command"] = "true", ["source-address"] = "127.0.0.1/32,::1" },
        }.Sign(ca).ToOpenSshString("cert");
        yield return new SshCertificateBuilder(Keys[4].PublicKey, SshCertificateType.Host, "host-cert")
        {
            Principals = ["localhost", "127.0.0.1"],
        }.Sign(Keys[4]).ToOpenSshString();
    }
}
