using System.Buffers;
using System.Security.Cryptography;
using Rx.Ssh.Keys;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Tests.Keys;

/// <summary>RSA keys are 1024 to 16384 bits, checked when read; verification never throws.</summary>
public sealed class RsaKeySizeTests
{
    [Fact]
    public void Modulus_over_16384_bits_is_refused_when_read()
    {
        byte[] blob = Blob([1, 0, 1], OddNumber(16392));

        var error = Assert.Throws<SshKeyFormatException>(() => SshPublicKey.FromBlob(blob));

        Assert.Contains("16392 bits", error.Message, StringComparison.Ordinal);
        Assert.Contains("16384", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Modulus_of_16384_bits_is_read()
    {
        SshPublicKey key = SshPublicKey.FromBlob(Blob([1, 0, 1], OddNumber(16384)));

        Assert.Equal("ssh-rsa", key.KeyType);
        Assert.False(key.VerifySignature("data"u8, Signature("rsa-sha2-256", new byte[16384 / 8])));
    }

    [Fact]
    public void Exponent_not_smaller_than_the_modulus_is_refused_when_read()
    {
        byte[] modulus = OddNumber(2048);

        Assert.Throws<SshKeyFormatException>(() => SshPublicKey.FromBlob(Blob(modulus, modulus)));
    }

    [Fact]
    public void Key_the_backend_refuses_verifies_false_instead_of_throwing()
    {
        // OpenSSL refuses public exponents over 64 bits for moduli over 3072 bits; that surfaces
        // as a CryptographicException from the verification call, which must not escape.
        SshPublicKey key = SshPublicKey.FromBlob(Blob(OddNumber(4000), OddNumber(4096)));

        bool verified = key.VerifySignature("data"u8, Signature("rsa-sha2-512", RandomNumberGenerator.GetBytes(4096 / 8 - 1)));

        Assert.False(verified);
    }

    /// <summary>A random odd number of exactly <paramref name="bits"/> bits, big-endian.</summary>
    private static byte[] OddNumber(int bits)
    {
        byte[] value = RandomNumberGenerator.GetBytes((bits + 7) / 8);
        int topBits = bits % 8 == 0 ? 8 : bits % 8;
        value[0] = (byte)((value[0] & ((1 << topBits) - 1)) | (1 << (topBits - 1)));
        value[^1] |= 1;
        return value;
    }

    private static byte[] Blob(byte[] exponent, byte[] modulus)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new SshWriter(buffer);
        writer.WriteString("ssh-rsa");
        writer.WriteMPInt(exponent);
        writer.WriteMPInt(modulus);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Signature(string algorithm, byte[] raw)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new SshWriter(buffer);
        writer.WriteString(algorithm);
        writer.WriteString(raw);
        return buffer.WrittenSpan.ToArray();
    }
}
