using System.Security.Cryptography;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Keys;

/// <summary>
/// An <c>ssh-rsa</c> public key (RFC 4253 section 6.6): blob = string type, mpint e, mpint n.
/// Verifies <c>rsa-sha2-512</c>, <c>rsa-sha2-256</c> (RFC 8332) and <c>ssh-rsa</c> (SHA-1)
/// PKCS#1 v1.5 signatures; keys under <see cref="MinimumBits"/> bits never verify.
/// </summary>
internal sealed class RsaPublicKey : SshPublicKey
{
    public const string TypeName = "ssh-rsa";
    public const string Sha512 = "rsa-sha2-512";
    public const string Sha256 = "rsa-sha2-256";

    /// <summary>Smallest modulus accepted for verification.</summary>
    public const int MinimumBits = 1024;

    private static readonly string[] Algorithms = [Sha512, Sha256, TypeName];

    private RsaPublicKey(byte[] blob, byte[] exponent, byte[] modulus)
        : base(blob)
    {
        Exponent = exponent;
        Modulus = modulus;
    }

    /// <summary>The public exponent, unsigned big-endian without leading zeros.</summary>
    public byte[] Exponent { get; }

    /// <summary>The modulus, unsigned big-endian without leading zeros.</summary>
    public byte[] Modulus { get; }

    /// <summary>The modulus size in bits.</summary>
    public int KeySizeInBits => Modulus.Length == 0 ? 0 : ((Modulus.Length - 1) * 8) + (32 - int.LeadingZeroCount(Modulus[0]));

    public override string KeyType => TypeName;

    public override IReadOnlyList<string> SignatureAlgorithms => Algorithms;

    /// <summary>Creates the key from its exponent and modulus (unsigned big-endian).</summary>
    public static RsaPublicKey FromParameters(ReadOnlySpan<byte> exponent, ReadOnlySpan<byte> modulus)
    {
        exponent = TrimZeros(exponent);
        modulus = TrimZeros(modulus);
        if (exponent.Length == 0 || modulus.Length == 0 || (modulus[^1] & 1) == 0)
        {
            throw new SshKeyFormatException("the RSA public key has a zero exponent or an invalid modulus");
        }

        using var buffer = new SshBuffer(modulus.Length + 32);
        SshWriter writer = buffer.Writer;
        writer.WriteString(TypeName);
        writer.WriteMPInt(exponent);
        writer.WriteMPInt(modulus);
        return new RsaPublicKey(buffer.ToArray(), exponent.ToArray(), modulus.ToArray());
    }

    /// <summary>Reads the fields after the type name (mpint e, mpint n).</summary>
    public static RsaPublicKey ReadFields(ref SshReader reader)
    {
        ReadOnlySpan<byte> e = reader.ReadUnsignedMPInt();
        ReadOnlySpan<byte> n = reader.ReadUnsignedMPInt();
        return FromParameters(e, n);
    }

    /// <summary>The hash a signature algorithm name stands for, or null for names RSA cannot use.</summary>
    public static HashAlgorithmName? HashOf(string signatureAlgorithm) => signatureAlgorithm switch
    {
        Sha512 => HashAlgorithmName.SHA512,
        Sha256 => HashAlgorithmName.SHA256,
        TypeName => HashAlgorithmName.SHA1,
        _ => null,
    };

    public override bool VerifySignature(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signatureBlob)
    {
        if (KeySizeInBits < MinimumBits
            || !SshSignature.TryDecode(signatureBlob, out string algorithm, out ReadOnlySpan<byte> signature)
            || HashOf(algorithm) is not { } hash
            || signature.Length > Modulus.Length)
        {
            return false;
        }

        // Some signers drop leading zero bytes; PKCS#1 wants exactly the modulus length.
        byte[] padded = new byte[Modulus.Length];
        signature.CopyTo(padded.AsSpan(padded.Length - signature.Length));
        using var rsa = RSA.Create(new RSAParameters { Exponent = Exponent, Modulus = Modulus });
        return rsa.VerifyData(data, padded, hash, RSASignaturePadding.Pkcs1);
    }

    internal static ReadOnlySpan<byte> TrimZeros(ReadOnlySpan<byte> value)
    {
        int start = 0;
        while (start < value.Length && value[start] == 0)
        {
            start++;
        }

        return value[start..];
    }
}
