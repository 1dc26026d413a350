using System.Security.Cryptography;
using Rx.Ssh.Keys;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Tests.Keys;

public sealed class SignatureTests
{
    public static TheoryData<string> KeyTypes() => new() { "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa" };

    [Theory]
    [MemberData(nameof(KeyTypes))]
    public void Verify_RejectsTamperedSignatureDataOrAlgorithm(string keyType)
    {
        using SshPrivateKey key = SshPrivateKey.Generate(keyType, keyType == "ssh-rsa" ? 2048 : 0);
        byte[] data = "exchange hash"u8.ToArray();

        foreach (string algorithm in key.SignatureAlgorithms)
        {
            byte[] signature = key.Sign(algorithm, data);
            Assert.True(key.PublicKey.VerifySignature(data, signature));
            SplitSignature(signature, out string name, out byte[] raw);
            Assert.Equal(algorithm, name);

            byte[] flipped = (byte[])raw.Clone();
            flipped[flipped.Length / 2] ^= 0x10;
            Assert.False(key.PublicKey.VerifySignature(data, JoinSignature(algorithm, flipped)));
            Assert.False(key.PublicKey.VerifySignature(data, JoinSignature("ssh-unknown", raw)));
            Assert.False(key.PublicKey.VerifySignature(data, signature.AsSpan(0, signature.Length - 1)));
            Assert.False(key.PublicKey.VerifySignature(data, [.. signature, 0]));
            Assert.False(key.PublicKey.VerifySignature("exchange hasH"u8, signature));
        }

        Assert.Throws<ArgumentException>(() => key.Sign("ssh-unknown", data));
    }

    [Fact]
    public void RsaVerify_SignatureUnderOneHashPresentedAsAnother_Fails()
    {
        using SshPrivateKey key = SshPrivateKey.Generate("ssh-rsa", 2048);
        byte[] data = "data"u8.ToArray();
        SplitSignature(key.Sign("rsa-sha2-256", data), out _, out byte[] raw);

        Assert.False(key.PublicKey.VerifySignature(data, JoinSignature("rsa-sha2-512", raw)));
        Assert.False(key.PublicKey.VerifySignature(data, JoinSignature("ssh-rsa", raw)));
    }

    [Fact]
    public void RsaKey_Under1024Bits_IsRefusedWhenRead()
    {
        using var rsa = RSA.Create(768);
        RSAParameters parameters = rsa.ExportParameters(false);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new SshWriter(buffer);
        writer.WriteString("ssh-rsa");
        writer.WriteMPInt(parameters.Exponent);
        writer.WriteMPInt(parameters.Modulus);

        var error = Assert.Throws<SshKeyFormatException>(() => SshPublicKey.FromBlob(buffer.WrittenSpan));

        Assert.Contains("768 bits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RsaVerify_AcceptsSignatureWithLeadingZeroDropped()
    {
        using SshPrivateKey key = SshPrivateKey.Generate("ssh-rsa", 1024);
        for (int i = 0; i < 2000; i++)
        {
            byte[] data = BitConverter.GetBytes(i);
            SplitSignature(key.Sign("rsa-sha2-256", data), out _, out byte[] raw);
            if (raw[0] == 0)
            {
                Assert.True(key.PublicKey.VerifySignature(data, JoinSignature("rsa-sha2-256", raw.AsSpan(1))));
                return;
            }
        }

        Assert.Fail("no signature with a leading zero byte in 2000 tries");
    }

    [Fact]
    public void EcdsaSignature_IsTwoMpints()
    {
        using SshPrivateKey key = SshPrivateKey.Generate("ecdsa-sha2-nistp521");
        SplitSignature(key.Sign("ecdsa-sha2-nistp521", "x"u8), out _, out byte[] raw);

        var reader = new SshReader(raw);
        Assert.InRange(reader.ReadUnsignedMPInt().Length, 1, 66);
        Assert.InRange(reader.ReadUnsignedMPInt().Length, 1, 66);
        reader.ReadEnd();
    }

    [Fact]
    public void Ed25519_SignatureMatchesRfc8032Vector()
    {
        // RFC 8032 section 7.1, TEST 2 (one-byte message 0x72).
        byte[] seed = Convert.FromHexString("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
        byte[] expectedPublic = Convert.FromHexString("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
        byte[] expected = Convert.FromHexString(
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new SshWriter(buffer);
        writer.WriteString(expectedPublic);
        writer.WriteString([.. seed, .. expectedPublic]);
        var reader = new SshReader(buffer.WrittenSpan);
        using SshPrivateKey key = Rx.Ssh.Keys.Ed25519PrivateKey.ReadOpenSshFields(ref reader);

        SplitSignature(key.Sign("ssh-ed25519", [0x72]), out _, out byte[] raw);

        Assert.Equal(expected, raw);
        Assert.Equal(expectedPublic, key.PublicKey.Blob.Span[^32..].ToArray());
    }

    private static void SplitSignature(byte[] blob, out string algorithm, out byte[] raw)
    {
        var reader = new SshReader(blob);
        algorithm = reader.ReadAsciiString();
        raw = reader.ReadString().ToArray();
        reader.ReadEnd();
    }

    private static byte[] JoinSignature(string algorithm, ReadOnlySpan<byte> raw)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new SshWriter(buffer);
        writer.WriteString(algorithm);
        writer.WriteString(raw);
        return buffer.WrittenSpan.ToArray();
    }
}
