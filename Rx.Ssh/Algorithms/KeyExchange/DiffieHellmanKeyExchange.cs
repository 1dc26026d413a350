using System.Numerics;
using System.Security.Cryptography;

namespace Rx.Ssh.Algorithms.KeyExchange;

/// <summary>
/// Finite-field Diffie-Hellman (RFC 4253 section 8, RFC 8268, RFC 4419 for group exchange) on
/// <see cref="BigInteger.ModPow"/>. The public values e and f travel as mpints; this class hands
/// them over as the mpint's bytes (minimal two's complement), which is also how they enter the
/// exchange hash. K is returned as unsigned big-endian bytes and encoded as an mpint.
/// </summary>
internal sealed class DiffieHellmanKeyExchange : IKeyExchange
{
    public static readonly KeyExchangeAlgorithm Group1Sha1 = Fixed("diffie-hellman-group1-sha1", HashAlgorithmName.SHA1, DiffieHellmanGroup.Group1);
    public static readonly KeyExchangeAlgorithm Group14Sha1 = Fixed("diffie-hellman-group14-sha1", HashAlgorithmName.SHA1, DiffieHellmanGroup.Group14);
    public static readonly KeyExchangeAlgorithm Group14Sha256 = Fixed("diffie-hellman-group14-sha256", HashAlgorithmName.SHA256, DiffieHellmanGroup.Group14);
    public static readonly KeyExchangeAlgorithm Group16Sha512 = Fixed("diffie-hellman-group16-sha512", HashAlgorithmName.SHA512, DiffieHellmanGroup.Group16);
    public static readonly KeyExchangeAlgorithm Group18Sha512 = Fixed("diffie-hellman-group18-sha512", HashAlgorithmName.SHA512, DiffieHellmanGroup.Group18);
    public static readonly KeyExchangeAlgorithm GroupExchangeSha256 = new("diffie-hellman-group-exchange-sha256", HashAlgorithmName.SHA256, group => new DiffieHellmanKeyExchange(group));
    public static readonly KeyExchangeAlgorithm GroupExchangeSha1 = new("diffie-hellman-group-exchange-sha1", HashAlgorithmName.SHA1, group => new DiffieHellmanKeyExchange(group));

    private readonly DiffieHellmanGroup _group;
    private BigInteger _x;

    public DiffieHellmanKeyExchange(DiffieHellmanGroup group)
    {
        _group = group;
        _x = RandomExponent(group.ExponentBits);
    }

    public byte[] CreateClientPublic() => PublicValue();

    public byte[] ComputeClientSecret(ReadOnlySpan<byte> serverPublic) => Agree(serverPublic, "f");

    public byte[] CreateServerReply(ReadOnlySpan<byte> clientPublic, out byte[] sharedSecret)
    {
        sharedSecret = Agree(clientPublic, "e");
        return PublicValue();
    }

    /// <summary>Parses a peer's e or f (mpint bytes) and checks 1 &lt; value &lt; p-1.</summary>
    internal static BigInteger ParsePeerValue(ReadOnlySpan<byte> mpint, DiffieHellmanGroup group, string name)
    {
        if (mpint.Length > 0 && mpint[0] >= 0x80)
        {
            throw new SshKeyExchangeException($"The peer's Diffie-Hellman value {name} is negative.");
        }

        if (mpint.Length > 1 && mpint[0] == 0 && mpint[1] < 0x80)
        {
            throw new SshKeyExchangeException($"The peer's Diffie-Hellman value {name} is not a minimal mpint.");
        }

        var value = new BigInteger(mpint, isUnsigned: true, isBigEndian: true);
        if (value <= BigInteger.One || value >= group.P - BigInteger.One)
        {
            throw new SshKeyExchangeException($"The peer's Diffie-Hellman value {name} is out of range (1 < {name} < p-1 is required).");
        }

        return value;
    }

    private byte[] PublicValue() => BigInteger.ModPow(_group.G, _x, _group.P).ToByteArray(isUnsigned: false, isBigEndian: true);

    private byte[] Agree(ReadOnlySpan<byte> peerValue, string name)
    {
        BigInteger peer = ParsePeerValue(peerValue, _group, name);
        BigInteger k = BigInteger.ModPow(peer, _x, _group.P);
        if (k <= BigInteger.One)
        {
            throw new SshKeyExchangeException("Diffie-Hellman agreement gave a trivial secret.");
        }

        return k.ToByteArray(isUnsigned: true, isBigEndian: true);
    }

    private static BigInteger RandomExponent(int bits)
    {
        byte[] bytes = RandomNumberGenerator.GetBytes(bits / 8);
        bytes[0] |= 0x80; // full length, and never 0 or 1
        var x = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        CryptographicOperations.ZeroMemory(bytes);
        return x;
    }

    private static KeyExchangeAlgorithm Fixed(string name, HashAlgorithmName hash, DiffieHellmanGroup group) =>
        new(name, hash, () => new DiffieHellmanKeyExchange(group));

    public void Dispose() => _x = BigInteger.Zero;
}
