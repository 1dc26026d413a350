using Rx.Ssh.Algorithms.Ciphers;
using Rx.Ssh.Algorithms.KeyExchange;
using Rx.Ssh.Algorithms.Macs;

namespace Rx.Ssh.Algorithms;

/// <summary>
/// Every algorithm Rx.Ssh implements, by name, one table per kind. What a connection offers and
/// in which order is <see cref="SshAlgorithms"/>'s business, not this catalogue's.
/// </summary>
internal static class AlgorithmCatalog
{
    public static readonly IReadOnlyDictionary<string, KeyExchangeAlgorithm> KeyExchange = Index(
    [
        HybridKeyExchange.MLKem768X25519,
        HybridKeyExchange.Sntrup761X25519,
        HybridKeyExchange.Sntrup761X25519OpenSsh,
        Curve25519KeyExchange.Algorithm,
        Curve25519KeyExchange.LibSshAlgorithm,
        EcdhKeyExchange.Nistp256,
        EcdhKeyExchange.Nistp384,
        EcdhKeyExchange.Nistp521,
        DiffieHellmanKeyExchange.GroupExchangeSha256,
        DiffieHellmanKeyExchange.Group16Sha512,
        DiffieHellmanKeyExchange.Group18Sha512,
        DiffieHellmanKeyExchange.Group14Sha256,
        DiffieHellmanKeyExchange.Group14Sha1,
        DiffieHellmanKeyExchange.Group1Sha1,
        DiffieHellmanKeyExchange.GroupExchangeSha1,
    ], a => a.Name);

    /// <summary>Host key signature algorithms we can verify (client) or produce (server).</summary>
    public static readonly IReadOnlySet<string> HostKey = new HashSet<string>(StringComparer.Ordinal)
    {
        "ssh-ed25519",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "rsa-sha2-512",
        "rsa-sha2-256",
        "ssh-rsa",
    };

    public static readonly IReadOnlyDictionary<string, CipherAlgorithm> Ciphers = Index(CipherRegistrations.All, a => a.Name);

    public static readonly IReadOnlyDictionary<string, MacAlgorithm> Macs = Index(MacRegistrations.All, a => a.Name);

    public static readonly IReadOnlySet<string> Compression = new HashSet<string>(StringComparer.Ordinal) { "none", "zlib@openssh.com", "zlib" };

    private static Dictionary<string, T> Index<T>(IEnumerable<T> items, Func<T, string> name)
    {
        var table = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (T item in items)
        {
            table.Add(name(item), item);
        }

        return table;
    }
}
