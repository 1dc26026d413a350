using System.Security.Cryptography;

namespace Rx.Ssh.Keys;

/// <summary>The three NIST curves SSH names for ECDSA (RFC 5656 section 6.2), with their hash.</summary>
internal sealed class EcdsaCurve
{
    public static readonly EcdsaCurve NistP256 = new("nistp256", ECCurve.NamedCurves.nistP256, HashAlgorithmName.SHA256, 32, "1.2.840.10045.3.1.7");
    public static readonly EcdsaCurve NistP384 = new("nistp384", ECCurve.NamedCurves.nistP384, HashAlgorithmName.SHA384, 48, "1.3.132.0.34");
    public static readonly EcdsaCurve NistP521 = new("nistp521", ECCurve.NamedCurves.nistP521, HashAlgorithmName.SHA512, 66, "1.3.132.0.35");

    private EcdsaCurve(string name, ECCurve curve, HashAlgorithmName hash, int fieldSize, string oid)
    {
        Name = name;
        Curve = curve;
        Hash = hash;
        FieldSize = fieldSize;
        Oid = oid;
    }

    /// <summary>The SSH curve identifier (<c>nistp256</c>).</summary>
    public string Name { get; }

    /// <summary>The key type and signature algorithm name (<c>ecdsa-sha2-nistp256</c>).</summary>
    public string KeyType => "ecdsa-sha2-" + Name;

    public ECCurve Curve { get; }

    public HashAlgorithmName Hash { get; }

    /// <summary>Bytes per coordinate and per signature half.</summary>
    public int FieldSize { get; }

    /// <summary>The curve's ASN.1 object identifier.</summary>
    public string Oid { get; }

    /// <summary>Finds a curve by SSH identifier (<c>nistp256</c>), or null.</summary>
    public static EcdsaCurve? FromName(string name) => name switch
    {
        "nistp256" => NistP256,
        "nistp384" => NistP384,
        "nistp521" => NistP521,
        _ => null,
    };

    /// <summary>Finds a curve by key type (<c>ecdsa-sha2-nistp256</c>), or null.</summary>
    public static EcdsaCurve? FromKeyType(string keyType) =>
        keyType.StartsWith("ecdsa-sha2-", StringComparison.Ordinal) ? FromName(keyType["ecdsa-sha2-".Length..]) : null;

    /// <summary>Finds the curve of imported key parameters by OID or friendly name, or null.</summary>
    public static EcdsaCurve? FromParameters(in ECParameters parameters)
    {
        string? oid = parameters.Curve.Oid?.Value;
        string? friendlyName = parameters.Curve.Oid?.FriendlyName;
        foreach (EcdsaCurve curve in new[] { NistP256, NistP384, NistP521 })
        {
            if (oid == curve.Oid || string.Equals(friendlyName, curve.Curve.Oid.FriendlyName, StringComparison.OrdinalIgnoreCase))
            {
                return curve;
            }
        }

        return null;
    }

    /// <summary>Encodes a point uncompressed (SEC1: 0x04, X, Y).</summary>
    public byte[] EncodePoint(in ECPoint point)
    {
        byte[] q = new byte[1 + (2 * FieldSize)];
        q[0] = 0x04;
        point.X!.CopyTo(q.AsSpan(1 + FieldSize - point.X!.Length));
        point.Y!.CopyTo(q.AsSpan(1 + (2 * FieldSize) - point.Y!.Length));
        return q;
    }

    /// <summary>Decodes an uncompressed point; throws <see cref="SshKeyFormatException"/> for any other form.</summary>
    public ECPoint DecodePoint(ReadOnlySpan<byte> q)
    {
        if (q.Length != 1 + (2 * FieldSize) || q[0] != 0x04)
        {
            throw new SshKeyFormatException($"the {Name} public point is not an uncompressed point of {1 + (2 * FieldSize)} bytes");
        }

        return new ECPoint { X = q.Slice(1, FieldSize).ToArray(), Y = q.Slice(1 + FieldSize, FieldSize).ToArray() };
    }
}
