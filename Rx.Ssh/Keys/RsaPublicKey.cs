using System.Security.Cryptography;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Keys;

/// <summary>
/// An <c>ssh-rsa</c> public key (RFC 4253 section 6.6): blob = string type, mpint e, mpint n.
/// Verifies <c>rsa-sha2-512</c>, <c>rsa-sha2-256</c> (RFC 8332) and <c>ssh-rsa</c> (SHA-1)
/// PKCS#1 v1.5 signatures. Keys outside <see cref="MinimumBits"/> to <see cref="MaximumBits"/> bits
/// are refused when read, as OpenSSH does, so a peer cannot make us work on a huge modulus.
/// </summary>
internal sealed class RsaPublicKey : SshPublicKey
{
    public const string TypeName = "ssh-rsa";
    public const string Sha512 = "rsa-sha2-512";
    public const string Sha256 = "rsa-sha2-256";

    /// <summary>Smallest modulus accepted.</summary>
    public const int MinimumBits = 1024;

    /// <summary>Largest modulus accepted (OpenSSH's limit; OpenSSL's too).</summary>
    public const int MaximumBits = 16384;

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
    public int KeySizeInBits => BitLength(Modulus);

    public override string KeyType => TypeName;

    public override IReadOnlyList<string> SignatureAlgorithms => Algorithms;

    /// <summary>Creates the key from its exponent and modulus (unsigned big-endian).</summary>
    /// <exception cref="SshKeyFormatException">The values are not a usable RSA key, or the modulus is under <see cref="MinimumBits"/> or over <see cref="MaximumBits"/> bits.</exception>
    public static RsaPublicKey FromParameters(ReadOnlySpan<byte> exponent, ReadOnlySpan<byte> modulus)
    {
        exponent = TrimZeros(exponent);
        modulus = TrimZeros(modulus);
        if (exponent.Length == 0 || modulus.Length == 0 || (modulus[^1] & 1) == 0)
        {
            throw new SshKeyFormatException("the RSA public key has a zero exponent or an invalid modulus");
        }

        int bits = BitLength(modulus);
        if (bits < MinimumBits || bits > MaximumBits)
        {
            throw new SshKeyFormatException($"the RSA key has {bits} bits; {MinimumBits} to {MaximumBits} bits are accepted");
        }

        // e < n for any valid key; a longer exponent would only make verification expensive.
        if (exponent.Length > modulus.Length || (exponent.Length == modulus.Length && exponent.SequenceCompareTo(modulus) >= 0))
        {
            throw new SshKeyFormatException("the RSA public exponent is not smaller than the modulus");
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

    /// <summary>Verifies a PKCS#1 v1.5 signature; false (never an exception) for any signature or key the backend refuses.</summary>
    public override bool VerifySignature(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signatureBlob)
    {
        if (KeySizeInBits < MinimumBits
            || KeySizeInBits > MaximumBits
            || !SshSignature.TryDecode(signatureBlob, out string algorithm, out ReadOnlySpan<byte> signature)
            || HashOf(algorithm) is not { } hash
            || signature.Length > Modulus.Length)
        {
            return false;
        }

        // Some signers drop leading zero bytes; PKCS#1 wants exactly the modulus length.
        byte[] padded = new byte[Modulus.Length];
        signature.CopyTo(padded.AsSpan(padded.Length - signature.Length));
        try
        {
            using var rsa = RSA.Create(new RSAParameters { Exponent = Exponent, Modulus = Modulus });
            return rsa.VerifyData(data, padded, hash, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            // OpenSSL refuses some keys only here (a large exponent with a large modulus, say).
            return false;
        }
    }

    private static int BitLength(ReadOnlySpan<byte> unsignedBigEndian) =>
        unsignedBigEndian.IsEmpty ? 0 : ((unsignedBigEndian.Length - 1) * 8) + (32 - int.LeadingZeroCount(unsignedBigEndian[0]));

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
