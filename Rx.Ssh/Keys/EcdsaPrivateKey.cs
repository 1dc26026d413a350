using System.Security.Cryptography;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Keys;

/// <summary>An ECDSA private key on a NIST curve, held by .NET's <see cref="ECDsa"/>.</summary>
internal sealed class EcdsaPrivateKey : SshPrivateKey
{
    private readonly ECDsa _ecdsa;
    private readonly EcdsaPublicKey _publicKey;

    private EcdsaPrivateKey(ECDsa ecdsa, EcdsaCurve curve)
    {
        _ecdsa = ecdsa;
        ECParameters parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        _publicKey = EcdsaPublicKey.FromPoint(curve, parameters.Q);
    }

    public override SshPublicKey PublicKey => _publicKey;

    /// <summary>Creates a new random key on <paramref name="curve"/>.</summary>
    public static EcdsaPrivateKey Generate(EcdsaCurve curve) => new(ECDsa.Create(curve.Curve), curve);

    /// <summary>Takes ownership of an imported key; throws for curves SSH does not name.</summary>
    public static EcdsaPrivateKey FromECDsa(ECDsa ecdsa)
    {
        ECParameters parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        EcdsaCurve? curve = EcdsaCurve.FromParameters(parameters);
        if (curve is null)
        {
            ecdsa.Dispose();
            throw new SshKeyFormatException($"EC curve '{parameters.Curve.Oid?.Value ?? parameters.Curve.Oid?.FriendlyName}' is not one SSH supports (nistp256, nistp384, nistp521)");
        }

        return new EcdsaPrivateKey(ecdsa, curve);
    }

    /// <summary>Reads the OpenSSH private fields after the type name: string curve, string Q, mpint d.</summary>
    public static EcdsaPrivateKey ReadOpenSshFields(EcdsaCurve curve, ref SshReader reader)
    {
        string curveName = reader.ReadAsciiString();
        if (curveName != curve.Name)
        {
            throw new SshKeyFormatException($"key type {curve.KeyType} names curve '{curveName}'");
        }

        ECPoint q = curve.DecodePoint(reader.ReadString());
        return FromScalar(curve, q, reader.ReadUnsignedMPInt());
    }

    /// <summary>Reads PuTTY's private field (mpint d); Q comes from <paramref name="publicKey"/>.</summary>
    public static EcdsaPrivateKey ReadPuttyFields(EcdsaPublicKey publicKey, ref SshReader reader)
    {
        ReadOnlySpan<byte> d = reader.ReadUnsignedMPInt();
        var blob = new SshReader(publicKey.Blob.Span);
        blob.ReadString();
        blob.ReadString();
        ECPoint q = publicKey.Curve.DecodePoint(blob.ReadString());
        return FromScalar(publicKey.Curve, q, d);
    }

    private static EcdsaPrivateKey FromScalar(EcdsaCurve curve, ECPoint q, ReadOnlySpan<byte> dBytes)
    {
        if (dBytes.Length > curve.FieldSize)
        {
            throw new SshKeyFormatException($"the {curve.Name} private scalar is too long");
        }

        byte[] d = new byte[curve.FieldSize];
        dBytes.CopyTo(d.AsSpan(curve.FieldSize - dBytes.Length));
        var parameters = new ECParameters { Curve = curve.Curve, Q = q, D = d };
        try
        {
            // ImportParameters checks that Q is d*G.
            return new EcdsaPrivateKey(ECDsa.Create(parameters), curve);
        }
        catch (CryptographicException e)
        {
            throw new SshKeyFormatException($"the {curve.Name} private key is not valid or does not match its public key", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(d);
        }
    }

    internal override void WriteOpenSshFields(ref SshWriter writer)
    {
        ECParameters parameters = _ecdsa.ExportParameters(includePrivateParameters: true);
        try
        {
            writer.WriteString(_publicKey.Curve.Name);
            writer.WriteString(_publicKey.Curve.EncodePoint(parameters.Q));
            writer.WriteMPInt(parameters.D);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }

    internal override void WriteCertifiedFields(ref SshWriter writer) => WritePuttyFields(ref writer);

    internal override void WritePuttyFields(ref SshWriter writer)
    {
        ECParameters parameters = _ecdsa.ExportParameters(includePrivateParameters: true);
        try
        {
            writer.WriteMPInt(parameters.D);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }

    public override byte[] Sign(string signatureAlgorithm, ReadOnlySpan<byte> data)
    {
        ThrowIfUnsupported(signatureAlgorithm);
        EcdsaCurve curve = _publicKey.Curve;
        byte[] p1363 = _ecdsa.SignData(data, curve.Hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        using var buffer = new SshBuffer(2 * (curve.FieldSize + 5));
        SshWriter writer = buffer.Writer;
        writer.WriteMPInt(p1363.AsSpan(0, curve.FieldSize));
        writer.WriteMPInt(p1363.AsSpan(curve.FieldSize));
        return SshSignature.Encode(curve.KeyType, buffer.WrittenSpan);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ecdsa.Dispose();
        }

        base.Dispose(disposing);
    }
}
