using System.Buffers.Binary;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Rx.Ssh.Algorithms.Ciphers;

namespace Rx.Ssh.Tests.Algorithms.Ciphers;

public class AesGcmPacketCipherTests
{
    public static TheoryData<string> Names => new() { "aes128-gcm@openssh.com", "aes256-gcm@openssh.com" };

    private static CipherAlgorithm Algorithm(string name) =>
        name == AesGcmPacketCipher.Aes128Gcm.Name ? AesGcmPacketCipher.Aes128Gcm : AesGcmPacketCipher.Aes256Gcm;

    private static (byte[] Key, byte[] Iv) Keys(CipherAlgorithm algorithm, byte seed)
    {
        var key = new byte[algorithm.KeySize];
        var iv = new byte[algorithm.IvSize];
        for (int i = 0; i < key.Length; i++)
        {
            key[i] = (byte)(seed + i);
        }

        for (int i = 0; i < iv.Length; i++)
        {
            iv[i] = (byte)(0xF0 + i);
        }

        return (key, iv);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Catalogue_entry_describes_the_algorithm(string name)
    {
        CipherAlgorithm algorithm = Algorithm(name);
        Assert.Equal(name, algorithm.Name);
        Assert.Equal(name.StartsWith("aes128", StringComparison.Ordinal) ? 16 : 32, algorithm.KeySize);
        Assert.Equal(12, algorithm.IvSize);
        Assert.Equal(16, algorithm.BlockSize);
        Assert.True(algorithm.IsAead);
        Assert.True(algorithm.IsAvailable);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Packets_round_trip(string name)
    {
        CipherAlgorithm algorithm = Algorithm(name);
        var (key, iv) = Keys(algorithm, 1);
        using IPacketEncryptor encryptor = algorithm.CreateEncryptor(key, iv, null, null);
        using IPacketDecryptor decryptor = algorithm.CreateDecryptor(key, iv, null, null);
        Assert.Equal(16, encryptor.MacLength);
        Assert.True(encryptor.IsLengthExcludedFromPadding);
        Assert.Equal(4, decryptor.LengthPrefixSize);
        PacketCipherHarness.AssertRoundTrips(encryptor, decryptor);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Any_flipped_byte_fails_with_MacError(string name)
    {
        CipherAlgorithm algorithm = Algorithm(name);
        var (key, iv) = Keys(algorithm, 9);
        PacketCipherHarness.AssertEveryTamperFails(algorithm, () =>
            (algorithm.CreateEncryptor(key, iv, null, null), algorithm.CreateDecryptor(key, iv, null, null)));
    }

    [Fact]
    public void A_skipped_packet_fails_because_the_nonce_no_longer_matches()
    {
        CipherAlgorithm algorithm = AesGcmPacketCipher.Aes128Gcm;
        var (key, iv) = Keys(algorithm, 2);
        using IPacketEncryptor encryptor = algorithm.CreateEncryptor(key, iv, null, null);
        using IPacketDecryptor decryptor = algorithm.CreateDecryptor(key, iv, null, null);
        byte[] first = PacketCipherHarness.Seal(encryptor, 0, PacketCipherHarness.BuildPacket(encryptor, "one"u8));
        byte[] second = PacketCipherHarness.Seal(encryptor, 1, PacketCipherHarness.BuildPacket(encryptor, "two"u8));
        _ = first;
        var ex = Assert.Throws<SshConnectionException>(() => PacketCipherHarness.Open(decryptor, 1, second));
        Assert.Equal(DisconnectReason.MacError, ex.Reason);
    }

    [Fact]
    public void Length_is_sent_in_the_clear()
    {
        CipherAlgorithm algorithm = AesGcmPacketCipher.Aes256Gcm;
        var (key, iv) = Keys(algorithm, 3);
        using IPacketEncryptor encryptor = algorithm.CreateEncryptor(key, iv, null, null);
        byte[] plain = PacketCipherHarness.BuildPacket(encryptor, new byte[50]);
        byte[] wire = PacketCipherHarness.Seal(encryptor, 0, plain);
        Assert.Equal(plain.AsSpan(0, 4).ToArray(), wire.AsSpan(0, 4).ToArray());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Matches_BouncyCastle_GCM_with_the_invocation_counter_carrying(string name)
    {
        CipherAlgorithm algorithm = Algorithm(name);
        var (key, iv) = Keys(algorithm, 5);
        // Invocation counter one short of wrapping its 64 bits: the fixed field must stay put.
        iv.AsSpan(4).Fill(0xFF);
        iv[11] = 0xFE;
        using IPacketEncryptor encryptor = algorithm.CreateEncryptor(key, iv, null, null);
        byte[] expectedNonce = (byte[])iv.Clone();
        for (int n = 0; n < 4; n++)
        {
            byte[] plain = PacketCipherHarness.BuildPacket(encryptor, new byte[17 * n + 3]);
            byte[] wire = PacketCipherHarness.Seal(encryptor, (uint)n, plain);
            Assert.Equal(ReferenceSeal(key, expectedNonce, plain), wire);
            ulong counter = BinaryPrimitives.ReadUInt64BigEndian(expectedNonce.AsSpan(4));
            BinaryPrimitives.WriteUInt64BigEndian(expectedNonce.AsSpan(4), unchecked(counter + 1));
        }
    }

    [Fact]
    public void Empty_body_tag_matches_BouncyCastle()
    {
        // With a zero-byte body the tag is GHASH over the 4-byte AAD alone; cross-checked against
        // BouncyCastle because the published vectors carry no 4-byte AAD.
        CipherAlgorithm algorithm = AesGcmPacketCipher.Aes128Gcm;
        var key = new byte[16];
        var iv = new byte[12];
        using IPacketEncryptor encryptor = algorithm.CreateEncryptor(key, iv, null, null);
        byte[] plain = [0, 0, 0, 0];
        byte[] wire = PacketCipherHarness.Seal(encryptor, 0, plain);
        Assert.Equal(ReferenceSeal(key, iv, plain), wire);
    }

    [Fact]
    public void Gcm_spec_test_case_3_body_encrypts_as_published()
    {
        // McGrew-Viega GCM spec test case 3 (AES-128, 96-bit IV, no AAD): checks the cipher text
        // of the body; the tag differs here because SSH adds the length as AAD.
        byte[] key = Convert.FromHexString("feffe9928665731c6d6a8f9467308308");
        byte[] iv = Convert.FromHexString("cafebabefacedbaddecaf888");
        byte[] body = Convert.FromHexString(
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255");
        byte[] expected = Convert.FromHexString(
            "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985");
        using var encryptor = new AesGcmPacketCipher(key, iv);
        byte[] plain = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(plain, (uint)body.Length);
        body.CopyTo(plain, 4);
        byte[] wire = PacketCipherHarness.Seal(encryptor, 0, plain);
        Assert.Equal(expected, wire.AsSpan(4, body.Length).ToArray());
        Assert.Equal(ReferenceSeal(key, iv, plain), wire);
    }

    private static byte[] ReferenceSeal(byte[] key, byte[] nonce, byte[] plain)
    {
        var gcm = new GcmBlockCipher(new AesEngine());
        gcm.Init(true, new AeadParameters(new KeyParameter(key), 128, nonce, plain[..4]));
        var output = new byte[4 + gcm.GetOutputSize(plain.Length - 4)];
        plain.AsSpan(0, 4).CopyTo(output);
        int written = gcm.ProcessBytes(plain, 4, plain.Length - 4, output, 4);
        gcm.DoFinal(output, 4 + written);
        return output;
    }
}
