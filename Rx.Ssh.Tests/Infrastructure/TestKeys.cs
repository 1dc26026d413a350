using System.Text;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// User keys made once per test run with <c>ssh-keygen</c>. Every key here (including the
/// passphrase-protected one) is listed in each <see cref="SshdServer"/>'s authorized keys by default.
/// </summary>
public static class TestKeys
{
    /// <summary>The passphrase of <see cref="Ed25519WithPassphrase"/>.</summary>
    public const string Passphrase = "correct horse";

    private static readonly KeyCache Cache = new("rxssh-userkeys-");

    private static readonly Lazy<IReadOnlyList<TestKey>> AllKeys = new(
        () => Cache.GetAll(
        [
            ("id_ed25519", TestKeyType.Ed25519, null),
            ("id_ecdsa256", TestKeyType.Ecdsa256, null),
            ("id_ecdsa384", TestKeyType.Ecdsa384, null),
            ("id_ecdsa521", TestKeyType.Ecdsa521, null),
            ("id_rsa2048", TestKeyType.Rsa2048, null),
            ("id_ed25519_passphrase", TestKeyType.Ed25519, Passphrase),
        ]),
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>An unencrypted ed25519 key.</summary>
    public static TestKey Ed25519 => AllKeys.Value[0];

    /// <summary>An unencrypted ecdsa-sha2-nistp256 key.</summary>
    public static TestKey Ecdsa256 => AllKeys.Value[1];

    /// <summary>An unencrypted ecdsa-sha2-nistp384 key.</summary>
    public static TestKey Ecdsa384 => AllKeys.Value[2];

    /// <summary>An unencrypted ecdsa-sha2-nistp521 key.</summary>
    public static TestKey Ecdsa521 => AllKeys.Value[3];

    /// <summary>An unencrypted 2048-bit RSA key.</summary>
    public static TestKey Rsa2048 => AllKeys.Value[4];

    /// <summary>An ed25519 key whose file is encrypted with <see cref="Passphrase"/>.</summary>
    public static TestKey Ed25519WithPassphrase => AllKeys.Value[5];

    /// <summary>The unencrypted key of each <see cref="TestKeyType"/>.</summary>
    public static IReadOnlyList<TestKey> Unencrypted => [.. AllKeys.Value.Take(5)];

    /// <summary>Every user key, the passphrase-protected one last.</summary>
    public static IReadOnlyList<TestKey> All => AllKeys.Value;

    /// <summary>The unencrypted key of <paramref name="type"/>.</summary>
    /// <param name="type">The key type.</param>
    public static TestKey Get(TestKeyType type) => Unencrypted.Single(k => k.Type == type);

    /// <summary>An authorized_keys file's text listing <paramref name="keys"/> (all user keys when null).</summary>
    /// <param name="keys">The keys to list.</param>
    public static string AuthorizedKeysText(IEnumerable<TestKey>? keys = null)
    {
        var text = new StringBuilder();
        foreach (TestKey key in keys ?? All)
        {
            text.Append(key.PublicKeyLine).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// A known_hosts file's text trusting <paramref name="hostKeys"/> for <c>[host]:port</c>
    /// (OpenSSH writes the bracketed form for every port but 22).
    /// </summary>
    /// <param name="port">The server's port.</param>
    /// <param name="hostKeys">The server's host keys.</param>
    /// <param name="host">The host name or address the client uses.</param>
    public static string KnownHostsText(int port, IEnumerable<TestKey> hostKeys, string host = "127.0.0.1")
    {
        ArgumentNullException.ThrowIfNull(hostKeys);
        string pattern = port == 22 ? host : $"[{host}]:{port}";
        var text = new StringBuilder();
        foreach (TestKey key in hostKeys)
        {
            text.Append(pattern).Append(' ').Append(key.SshKeyType).Append(' ').Append(key.PublicKeyBase64).Append('\n');
        }

        return text.ToString();
    }
}
