using System.Numerics;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Parameters;

namespace Rx.Ssh.Algorithms.KeyExchange;

/// <summary>A finite-field Diffie-Hellman group: safe prime <see cref="P"/> and generator <see cref="G"/>.</summary>
internal sealed class DiffieHellmanGroup
{
    public DiffieHellmanGroup(BigInteger p, BigInteger g)
    {
        P = p;
        G = g;
        Bits = (int)p.GetBitLength();
    }

    /// <summary>Oakley group 2 (RFC 2409), 1024 bits: <c>diffie-hellman-group1-sha1</c>.</summary>
    public static DiffieHellmanGroup Group1 { get; } = From(DHStandardGroups.rfc2409_1024);

    /// <summary>RFC 3526 group 14, 2048 bits.</summary>
    public static DiffieHellmanGroup Group14 { get; } = From(DHStandardGroups.rfc3526_2048);

    /// <summary>RFC 3526 group 15, 3072 bits.</summary>
    public static DiffieHellmanGroup Group15 { get; } = From(DHStandardGroups.rfc3526_3072);

    /// <summary>RFC 3526 group 16, 4096 bits.</summary>
    public static DiffieHellmanGroup Group16 { get; } = From(DHStandardGroups.rfc3526_4096);

    /// <summary>RFC 3526 group 17, 6144 bits.</summary>
    public static DiffieHellmanGroup Group17 { get; } = From(DHStandardGroups.rfc3526_6144);

    /// <summary>RFC 3526 group 18, 8192 bits.</summary>
    public static DiffieHellmanGroup Group18 { get; } = From(DHStandardGroups.rfc3526_8192);

    public BigInteger P { get; }

    public BigInteger G { get; }

    /// <summary>The size of <see cref="P"/> in bits.</summary>
    public int Bits { get; }

    /// <summary>
    /// Private exponent size: twice the group's security strength (NIST SP 800-57 part 1,
    /// table 2), which keeps the modular exponentiations fast without weakening the group.
    /// </summary>
    public int ExponentBits => Bits switch
    {
        <= 1024 => 160,
        <= 2048 => 224,
        <= 3072 => 256,
        <= 4096 => 304,
        <= 6144 => 352,
        <= 7680 => 384,
        _ => 512,
    };

    private static DiffieHellmanGroup From(DHParameters parameters) => new(
        new BigInteger(parameters.P.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true),
        new BigInteger(parameters.G.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true));
}
