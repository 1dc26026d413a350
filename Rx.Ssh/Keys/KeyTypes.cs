using Rx.Ssh.Wire;

namespace Rx.Ssh.Keys;

/// <summary>The one place that maps SSH key type names to key classes.</summary>
internal static class KeyTypes
{
    /// <summary>Key types this library reads, writes and generates.</summary>
    public static readonly IReadOnlyList<string> Supported =
    [
        Ed25519PublicKey.TypeName,
        EcdsaCurve.NistP256.KeyType,
        EcdsaCurve.NistP384.KeyType,
        EcdsaCurve.NistP521.KeyType,
        RsaPublicKey.TypeName,
    ];

    /// <summary>Reads a public key blob (type name, then the type's fields).</summary>
    public static SshPublicKey ReadPublicKey(ref SshReader reader)
    {
        string keyType = reader.ReadAsciiString();
        if (keyType == Ed25519PublicKey.TypeName)
        {
            return Ed25519PublicKey.ReadFields(ref reader);
        }

        if (keyType == RsaPublicKey.TypeName)
        {
            return RsaPublicKey.ReadFields(ref reader);
        }

        if (EcdsaCurve.FromKeyType(keyType) is { } curve)
        {
            return EcdsaPublicKey.ReadFields(curve, ref reader);
        }

        throw Unsupported(keyType);
    }

    /// <summary>Reads the private fields OpenSSH stores after the key type name.</summary>
    public static SshPrivateKey ReadOpenSshPrivateFields(string keyType, ref SshReader reader)
    {
        if (keyType == Ed25519PublicKey.TypeName)
        {
            return Ed25519PrivateKey.ReadOpenSshFields(ref reader);
        }

        if (keyType == RsaPublicKey.TypeName)
        {
            return RsaPrivateKey.ReadOpenSshFields(ref reader);
        }

        if (EcdsaCurve.FromKeyType(keyType) is { } curve)
        {
            return EcdsaPrivateKey.ReadOpenSshFields(curve, ref reader);
        }

        throw Unsupported(keyType);
    }

    /// <summary>Reads PuTTY's private blob for <paramref name="publicKey"/> (which holds the public fields).</summary>
    public static SshPrivateKey ReadPuttyPrivateFields(SshPublicKey publicKey, ref SshReader reader) => publicKey switch
    {
        Ed25519PublicKey ed25519 => Ed25519PrivateKey.ReadPuttyFields(ed25519, ref reader),
        RsaPublicKey rsa => RsaPrivateKey.ReadPuttyFields(rsa, ref reader),
        EcdsaPublicKey ecdsa => EcdsaPrivateKey.ReadPuttyFields(ecdsa, ref reader),
        _ => throw Unsupported(publicKey.KeyType),
    };

    /// <summary>Creates a new random key of <paramref name="keyType"/>.</summary>
    public static SshPrivateKey Generate(string keyType, int bits)
    {
        if (keyType == Ed25519PublicKey.TypeName)
        {
            return Ed25519PrivateKey.Generate();
        }

        if (keyType == RsaPublicKey.TypeName)
        {
            return RsaPrivateKey.Generate(bits == 0 ? RsaPrivateKey.DefaultBits : bits);
        }

        if (EcdsaCurve.FromKeyType(keyType) is { } curve)
        {
            if (bits != 0 && bits != CurveBits(curve))
            {
                throw new ArgumentOutOfRangeException(nameof(bits), bits, $"{keyType} keys have {CurveBits(curve)} bits");
            }

            return EcdsaPrivateKey.Generate(curve);
        }

        throw new ArgumentException($"cannot generate keys of type '{keyType}'; supported: {string.Join(", ", Supported)}", nameof(keyType));
    }

    private static int CurveBits(EcdsaCurve curve) => curve.FieldSize == 66 ? 521 : curve.FieldSize * 8;

    private static SshKeyFormatException Unsupported(string keyType) =>
        new($"unsupported key type '{keyType}' (supported: {string.Join(", ", Supported)})");
}
