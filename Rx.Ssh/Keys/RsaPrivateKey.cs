using System.Numerics;
using System.Security.Cryptography;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Keys;

/// <summary>An RSA private key held by .NET's <see cref="RSA"/>; signs with PKCS#1 v1.5.</summary>
internal sealed class RsaPrivateKey : SshPrivateKey
{
    /// <summary>Key size <see cref="SshPrivateKey.Generate"/> uses when none is given (as ssh-keygen).</summary>
    public const int DefaultBits = 3072;

    private readonly RSA _rsa;
    private readonly RsaPublicKey _publicKey;

    private RsaPrivateKey(RSA rsa)
    {
        _rsa = rsa;
        RSAParameters parameters = rsa.ExportParameters(includePrivateParameters: false);
        _publicKey = RsaPublicKey.FromParameters(parameters.Exponent, parameters.Modulus);
    }

    public override SshPublicKey PublicKey => _publicKey;

    /// <summary>Creates a new random key of <paramref name="bits"/> bits.</summary>
    public static RsaPrivateKey Generate(int bits)
    {
        if (bits < RsaPublicKey.MinimumBits || bits > 16384 || bits % 8 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "RSA keys must have 1024 to 16384 bits, a multiple of 8");
        }

        return new RsaPrivateKey(RSA.Create(bits));
    }

    /// <summary>Takes ownership of an imported key.</summary>
    public static RsaPrivateKey FromRsa(RSA rsa) => new(rsa);

    /// <summary>
    /// Reads the OpenSSH private fields after the type name: mpint n, e, d, iqmp, p, q
    /// (the CRT exponents are recomputed).
    /// </summary>
    public static RsaPrivateKey ReadOpenSshFields(ref SshReader reader)
    {
        ReadOnlySpan<byte> n = reader.ReadUnsignedMPInt();
        ReadOnlySpan<byte> e = reader.ReadUnsignedMPInt();
        ReadOnlySpan<byte> d = reader.ReadUnsignedMPInt();
        ReadOnlySpan<byte> iqmp = reader.ReadUnsignedMPInt();
        ReadOnlySpan<byte> p = reader.ReadUnsignedMPInt();
        ReadOnlySpan<byte> q = reader.ReadUnsignedMPInt();
        return FromComponents(n, e, d, iqmp, p, q);
    }

    /// <summary>
    /// Reads PuTTY's private fields (mpint d, p, q, iqmp); n and e come from <paramref name="publicKey"/>.
    /// </summary>
    public static RsaPrivateKey ReadPuttyFields(RsaPublicKey publicKey, ref SshReader reader)
    {
        ReadOnlySpan<byte> d = reader.ReadUnsignedMPInt();
        ReadOnlySpan<byte> p = reader.ReadUnsignedMPInt();
        ReadOnlySpan<byte> q = reader.ReadUnsignedMPInt();
        ReadOnlySpan<byte> iqmp = reader.ReadUnsignedMPInt();
        var blob = new SshReader(publicKey.Blob.Span);
        blob.ReadString();
        ReadOnlySpan<byte> e = blob.ReadUnsignedMPInt();
        ReadOnlySpan<byte> n = blob.ReadUnsignedMPInt();
        return FromComponents(n, e, d, iqmp, p, q);
    }

    /// <summary>Builds a key from its components; the CRT exponents are recomputed.</summary>
    private static RsaPrivateKey FromComponents(
        ReadOnlySpan<byte> n, ReadOnlySpan<byte> e, ReadOnlySpan<byte> d, ReadOnlySpan<byte> iqmp, ReadOnlySpan<byte> p, ReadOnlySpan<byte> q)
    {
        if (n.Length == 0 || p.Length == 0 || q.Length == 0)
        {
            throw new SshKeyFormatException("the RSA private key has an empty modulus or prime");
        }

        int size = n.Length;
        int half = (size + 1) / 2;
        var parameters = new RSAParameters
        {
            Modulus = n.ToArray(),
            Exponent = e.ToArray(),
            D = Pad(d, size),
            P = Pad(p, half),
            Q = Pad(q, half),
            InverseQ = Pad(iqmp, half),
        };
        try
        {
            var dValue = new BigInteger(d, isUnsigned: true, isBigEndian: true);
            var pValue = new BigInteger(p, isUnsigned: true, isBigEndian: true);
            var qValue = new BigInteger(q, isUnsigned: true, isBigEndian: true);
            parameters.DP = Pad(BigInteger.Remainder(dValue, pValue - 1).ToByteArray(isUnsigned: true, isBigEndian: true), half);
            parameters.DQ = Pad(BigInteger.Remainder(dValue, qValue - 1).ToByteArray(isUnsigned: true, isBigEndian: true), half);
            var rsa = RSA.Create(parameters);
            try
            {
                return new RsaPrivateKey(rsa);
            }
            catch
            {
                rsa.Dispose();
                throw;
            }
        }
        catch (CryptographicException ex)
        {
            throw new SshKeyFormatException("the RSA private key parameters are not consistent", ex);
        }
        finally
        {
            Clear(parameters);
        }
    }

    internal override void WriteOpenSshFields(ref SshWriter writer)
    {
        RSAParameters parameters = _rsa.ExportParameters(includePrivateParameters: true);
        try
        {
            writer.WriteMPInt(parameters.Modulus);
            writer.WriteMPInt(parameters.Exponent);
            writer.WriteMPInt(parameters.D);
            writer.WriteMPInt(parameters.InverseQ);
            writer.WriteMPInt(parameters.P);
            writer.WriteMPInt(parameters.Q);
        }
        finally
        {
            Clear(parameters);
        }
    }

    internal override void WriteCertifiedFields(ref SshWriter writer)
    {
        RSAParameters parameters = _rsa.ExportParameters(includePrivateParameters: true);
        try
        {
            writer.WriteMPInt(parameters.D);
            writer.WriteMPInt(parameters.InverseQ);
            writer.WriteMPInt(parameters.P);
            writer.WriteMPInt(parameters.Q);
        }
        finally
        {
            Clear(parameters);
        }
    }

    internal override void WritePuttyFields(ref SshWriter writer)
    {
        RSAParameters parameters = _rsa.ExportParameters(includePrivateParameters: true);
        try
        {
            writer.WriteMPInt(parameters.D);
            writer.WriteMPInt(parameters.P);
            writer.WriteMPInt(parameters.Q);
            writer.WriteMPInt(parameters.InverseQ);
        }
        finally
        {
            Clear(parameters);
        }
    }

    public override byte[] Sign(string signatureAlgorithm, ReadOnlySpan<byte> data)
    {
        ThrowIfUnsupported(signatureAlgorithm);
        HashAlgorithmName hash = RsaPublicKey.HashOf(signatureAlgorithm)!.Value;
        byte[] signature = _rsa.SignData(data, hash, RSASignaturePadding.Pkcs1);
        return SshSignature.Encode(signatureAlgorithm, signature);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rsa.Dispose();
        }

        base.Dispose(disposing);
    }

    private static byte[] Pad(ReadOnlySpan<byte> value, int length)
    {
        value = RsaPublicKey.TrimZeros(value);
        if (value.Length > length)
        {
            throw new SshKeyFormatException("an RSA private key parameter is longer than the modulus allows");
        }

        byte[] padded = new byte[length];
        value.CopyTo(padded.AsSpan(length - value.Length));
        return padded;
    }

    private static void Clear(in RSAParameters parameters)
    {
        CryptographicOperations.ZeroMemory(parameters.D);
        CryptographicOperations.ZeroMemory(parameters.P);
        CryptographicOperations.ZeroMemory(parameters.Q);
        CryptographicOperations.ZeroMemory(parameters.DP);
        CryptographicOperations.ZeroMemory(parameters.DQ);
        CryptographicOperations.ZeroMemory(parameters.InverseQ);
    }
}
