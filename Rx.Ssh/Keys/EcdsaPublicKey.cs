using System.Security.Cryptography;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Keys;

/// <summary>
/// An <c>ecdsa-sha2-nistp256/384/521</c> public key (RFC 5656): blob = string type, string curve,
/// string Q. Signatures are string type, string (mpint r, mpint s).
/// </summary>
internal sealed class EcdsaPublicKey : SshPublicKey
{
    private readonly string[] _algorithms;

    private EcdsaPublicKey(byte[] blob, EcdsaCurve curve, ECPoint point)
        : base(blob)
    {
        Curve = curve;
        Point = point;
        _algorithms = [curve.KeyType];
    }

    public EcdsaCurve Curve { get; }

    public ECPoint Point { get; }

    public override string KeyType => Curve.KeyType;

    public override IReadOnlyList<string> SignatureAlgorithms => _algorithms;

    /// <summary>Creates the key from a curve point, checking that the point is on the curve.</summary>
    public static EcdsaPublicKey FromPoint(EcdsaCurve curve, ECPoint point)
    {
        try
        {
            using var ecdsa = ECDsa.Create(new ECParameters { Curve = curve.Curve, Q = point });
        }
        catch (CryptographicException e)
        {
            throw new SshKeyFormatException($"the {curve.Name} public key is not a valid point on the curve", e);
        }

        using var buffer = new SshBuffer(256);
        SshWriter writer = buffer.Writer;
        writer.WriteString(curve.KeyType);
        writer.WriteString(curve.Name);
        writer.WriteString(curve.EncodePoint(point));
        return new EcdsaPublicKey(buffer.ToArray(), curve, point);
    }

    /// <summary>Reads the fields after the type name (string curve, string Q).</summary>
    public static EcdsaPublicKey ReadFields(EcdsaCurve curve, ref SshReader reader)
    {
        string curveName = reader.ReadAsciiString();
        if (curveName != curve.Name)
        {
            throw new SshKeyFormatException($"key type {curve.KeyType} names curve '{curveName}'");
        }

        return FromPoint(curve, curve.DecodePoint(reader.ReadString()));
    }

    public override bool VerifySignature(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signatureBlob)
    {
        if (!SshSignature.TryDecode(signatureBlob, out string algorithm, out ReadOnlySpan<byte> signature)
            || algorithm != Curve.KeyType)
        {
            return false;
        }

        int size = Curve.FieldSize;
        byte[] p1363 = new byte[2 * size];
        try
        {
            var reader = new SshReader(signature);
            ReadOnlySpan<byte> r = reader.ReadUnsignedMPInt();
            ReadOnlySpan<byte> s = reader.ReadUnsignedMPInt();
            reader.ReadEnd();
            if (r.Length > size || s.Length > size || r.Length == 0 || s.Length == 0)
            {
                return false;
            }

            r.CopyTo(p1363.AsSpan(size - r.Length));
            s.CopyTo(p1363.AsSpan((2 * size) - s.Length));
        }
        catch (SshFormatException)
        {
            return false;
        }

        using var ecdsa = ECDsa.Create(new ECParameters { Curve = Curve.Curve, Q = Point });
        return ecdsa.VerifyData(data, p1363, Curve.Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}
