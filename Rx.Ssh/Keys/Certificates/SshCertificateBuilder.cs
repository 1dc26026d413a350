using System.Security.Cryptography;
using Rx.Ssh.Keys.Certificates;

namespace Rx.Ssh;

/// <summary>
/// What to put in a new certificate (the fields <c>ssh-keygen -s</c> takes as options);
/// <see cref="Sign"/> makes the certificate with a CA key.
/// </summary>
/// <example>
/// <code>
/// var cert = new SshCertificateBuilder(userKey.PublicKey, SshCertificateType.User, "alice@laptop")
/// {
///     Principals = ["alice"],
///     ValidBefore = DateTimeOffset.UtcNow.AddHours(8),
/// }.Sign(ca);
/// File.WriteAllText("id_ed25519-cert.pub", cert.ToOpenSshString());
/// </code>
/// </example>
public sealed class SshCertificateBuilder
{
    /// <summary>Starts a certificate for <paramref name="key"/>.</summary>
    /// <param name="key">The key to certify (a plain key, not a certificate).</param>
    /// <param name="type">User or host certificate.</param>
    /// <param name="keyId">The key id (<c>ssh-keygen -I</c>).</param>
    public SshCertificateBuilder(SshPublicKey key, SshCertificateType type, string keyId)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(keyId);
        if (key is SshCertificate)
        {
            throw new ArgumentException("certify the plain key, not a certificate", nameof(key));
        }

        Key = key;
        Type = type;
        KeyId = keyId;
        Extensions = type == SshCertificateType.User ? DefaultUserExtensions : new Dictionary<string, string>();
    }

    /// <summary>The extensions <c>ssh-keygen</c> gives user certificates by default: X11, agent and port forwarding, pty and user rc.</summary>
    public static IReadOnlyDictionary<string, string> DefaultUserExtensions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["permit-X11-forwarding"] = string.Empty,
        ["permit-agent-forwarding"] = string.Empty,
        ["permit-port-forwarding"] = string.Empty,
        ["permit-pty"] = string.Empty,
        ["permit-user-rc"] = string.Empty,
    };

    /// <summary>The key being certified.</summary>
    public SshPublicKey Key { get; }

    /// <summary>User or host certificate.</summary>
    public SshCertificateType Type { get; }

    /// <summary>The key id (<c>ssh-keygen -I</c>).</summary>
    public string KeyId { get; }

    /// <summary>The serial number (<c>ssh-keygen -z</c>); 0 by default.</summary>
    public ulong Serial { get; init; }

    /// <summary>User or host names (<c>ssh-keygen -n</c>); empty means any, which servers refuse for user certificates.</summary>
    public IReadOnlyList<string> Principals { get; init; } = [];

    /// <summary>Start of the validity window; unbounded by default.</summary>
    public DateTimeOffset ValidAfter { get; init; } = DateTimeOffset.MinValue;

    /// <summary>End of the validity window; <see cref="SshCertificate.Forever"/> by default.</summary>
    public DateTimeOffset ValidBefore { get; init; } = SshCertificate.Forever;

    /// <summary>Critical options (<c>force-command</c>, <c>source-address</c>, <c>verify-required</c>) with their values (empty for flags).</summary>
    public IReadOnlyDictionary<string, string> CriticalOptions { get; init; } = new Dictionary<string, string>();

    /// <summary>Extensions with their values (empty for flags); <see cref="DefaultUserExtensions"/> for user certificates, none for host ones.</summary>
    public IReadOnlyDictionary<string, string> Extensions { get; init; }

    /// <summary>
    /// Signs the certificate with <paramref name="ca"/>, using its strongest signature algorithm
    /// (<c>rsa-sha2-512</c> for RSA CAs).
    /// </summary>
    public SshCertificate Sign(SshPrivateKey ca)
    {
        ArgumentNullException.ThrowIfNull(ca);
        if (ValidBefore <= ValidAfter)
        {
            throw new InvalidOperationException($"the validity window is empty: valid after {ValidAfter:u} is not before valid before {ValidBefore:u}");
        }

        byte[] nonce = RandomNumberGenerator.GetBytes(32);
        return SshCertificate.FromBlob(SshCertificateWriter.Encode(this, Key, ca, nonce));
    }
}
