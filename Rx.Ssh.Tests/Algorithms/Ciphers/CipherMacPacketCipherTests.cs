using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Rx.Ssh.Algorithms;
using Rx.Ssh.Algorithms.Ciphers;
using Rx.Ssh.Algorithms.Macs;
using Rx.Ssh.Tests.Algorithms.Macs;

namespace Rx.Ssh.Tests.Algorithms.Ciphers;

/// <summary>AES-CTR combined with each HMAC, in encrypt-and-MAC and encrypt-then-MAC form.</summary>
public class CipherMacPacketCipherTests
{
    private static readonly string[] CipherNames = ["aes128-ctr", "aes192-ctr", "aes256-ctr"];

    private static readonly string[] MacNames =
    [
        "hmac-sha2-256", "hmac-sha2-512", "hmac-sha1",
        "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com", "hmac-sha1-etm@openssh.com",
    ];

    public static TheoryData<string, string> Combinations()
    {
        var data = new TheoryData<string, string>();
        foreach (string cipher in CipherNames)
        {
            foreach (string mac in MacNames)
            {
                data.Add(cipher, mac);
            }
        }

        return data;
    }

    private static CipherAlgorithm Cipher(string name) => name switch
    {
        "aes128-ctr" => AesCtrTransform.Aes128Ctr,
        "aes192-ctr" => AesCtrTransform.Aes192Ctr,
        "aes256-ctr" => AesCtrTransform.Aes256Ctr,
        _ => throw new ArgumentException(name, nameof(name)),
    };

    private sealed record Keys(byte[] Key, byte[] Iv, byte[] MacKey);

    private static Keys MakeKeys(CipherAlgorithm cipher, MacAlgorithm mac, int seed)
    {
        var random = new Random(seed);
        var keys = new Keys(new byte[cipher.KeySize], new byte[cipher.IvSize], new byte[mac.KeySize]);
        random.NextBytes(keys.Key);
        random.NextBytes(keys.Iv);
        random.NextBytes(keys.MacKey);
        return keys;
    }

    private static (IPacketEncryptor, IPacketDecryptor) Pair(CipherAlgorithm cipher, MacAlgorithm mac, Keys k) =>
        (cipher.CreateEncryptor(k.Key, k.Iv, mac, k.MacKey), cipher.CreateDecryptor(k.Key, k.Iv, mac, k.MacKey));

    [Fact]
    public void Catalogue_entries_describe_the_ciphers()
    {
        foreach (string name in CipherNames)
        {
            CipherAlgorithm cipher = Cipher(name);
            Assert.Equal(name, cipher.Name);
            Assert.Equal(int.Parse(name[3..6], System.Globalization.CultureInfo.InvariantCulture) / 8, cipher.KeySize);
            Assert.Equal(16, cipher.IvSize);
            Assert.Equal(16, cipher.BlockSize);
            Assert.False(cipher.IsAead);
            Assert.True(cipher.IsAvailable);
        }
    }

    [Fact]
    public void A_missing_MAC_is_refused()
    {
        Assert.Throws<ArgumentException>(() => AesCtrTransform.Aes128Ctr.CreateEncryptor(new byte[16], new byte[16], null, null));
        Assert.Throws<ArgumentException>(() => AesCtrTransform.Aes128Ctr.CreateDecryptor(new byte[16], new byte[16], HmacMac.HmacSha1, null));
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Packets_round_trip(string cipherName, string macName)
    {
        CipherAlgorithm cipher = Cipher(cipherName);
        MacAlgorithm mac = HmacMacTests.Find(macName);
        var (encryptor, decryptor) = Pair(cipher, mac, MakeKeys(cipher, mac, 1));
        using (encryptor)
        using (decryptor)
        {
            Assert.Equal(mac.Length, encryptor.MacLength);
            Assert.Equal(mac.Length, decryptor.MacLength);
            Assert.Equal(16, encryptor.BlockSize);
            Assert.Equal(mac.IsEncryptThenMac, encryptor.IsLengthExcludedFromPadding);
            Assert.Equal(mac.IsEncryptThenMac, decryptor.IsLengthExcludedFromPadding);
            Assert.Equal(mac.IsEncryptThenMac ? 4 : 16, decryptor.LengthPrefixSize);
            PacketCipherHarness.AssertRoundTrips(encryptor, decryptor, firstSequenceNumber: uint.MaxValue - 3);
        }
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Any_flipped_byte_fails_with_MacError(string cipherName, string macName)
    {
        CipherAlgorithm cipher = Cipher(cipherName);
        MacAlgorithm mac = HmacMacTests.Find(macName);
        Keys keys = MakeKeys(cipher, mac, 2);
        PacketCipherHarness.AssertEveryTamperFails(cipher, () => Pair(cipher, mac, keys));
    }

    [Theory]
    [InlineData("hmac-sha2-256")]
    [InlineData("hmac-sha2-256-etm@openssh.com")]
    public void Wrong_sequence_number_fails_with_MacError(string macName)
    {
        CipherAlgorithm cipher = AesCtrTransform.Aes128Ctr;
        MacAlgorithm mac = HmacMacTests.Find(macName);
        var (encryptor, decryptor) = Pair(cipher, mac, MakeKeys(cipher, mac, 3));
        using (encryptor)
        using (decryptor)
        {
            byte[] wire = PacketCipherHarness.Seal(encryptor, 5, PacketCipherHarness.BuildPacket(encryptor, "payload"u8));
            var ex = Assert.Throws<SshConnectionException>(() => PacketCipherHarness.Open(decryptor, 6, wire));
            Assert.Equal(DisconnectReason.MacError, ex.Reason);
        }
    }

    [Fact]
    public void Etm_verifies_before_decrypting_and_leaves_a_bad_packet_untouched()
    {
        CipherAlgorithm cipher = AesCtrTransform.Aes256Ctr;
        MacAlgorithm mac = HmacMac.HmacSha512Etm;
        var (encryptor, decryptor) = Pair(cipher, mac, MakeKeys(cipher, mac, 4));
        using (encryptor)
        using (decryptor)
        {
            byte[] wire = PacketCipherHarness.Seal(encryptor, 0, PacketCipherHarness.BuildPacket(encryptor, "secret"u8));
            wire[^1] ^= 1;
            byte[] received = (byte[])wire.Clone();
            int size = received.Length - mac.Length;
            Assert.Throws<SshConnectionException>(() => decryptor.Decrypt(0, received.AsSpan(0, size), received.AsSpan(size)));
            Assert.Equal(wire, received);
        }
    }

    [Fact]
    public void Asking_for_the_length_twice_does_not_advance_the_cipher_twice()
    {
        CipherAlgorithm cipher = AesCtrTransform.Aes128Ctr;
        MacAlgorithm mac = HmacMac.HmacSha1;
        var (encryptor, decryptor) = Pair(cipher, mac, MakeKeys(cipher, mac, 5));
        using (encryptor)
        using (decryptor)
        {
            byte[] plain = PacketCipherHarness.BuildPacket(encryptor, "twice"u8);
            byte[] wire = PacketCipherHarness.Seal(encryptor, 9, plain);
            Assert.Equal((uint)(plain.Length - 4), decryptor.DecryptLength(9, wire.AsSpan(0, 16)));
            Assert.Equal(plain, PacketCipherHarness.Open(decryptor, 9, wire));
        }
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Wire_format_matches_an_independent_construction(string cipherName, string macName)
    {
        CipherAlgorithm cipher = Cipher(cipherName);
        MacAlgorithm mac = HmacMacTests.Find(macName);
        Keys keys = MakeKeys(cipher, mac, 6);
        using IPacketEncryptor encryptor = cipher.CreateEncryptor(keys.Key, keys.Iv, mac, keys.MacKey);
        var sic = new SicBlockCipher(new AesEngine());
        sic.Init(true, new ParametersWithIV(new KeyParameter(keys.Key), keys.Iv));
        for (uint seq = 0; seq < 3; seq++)
        {
            byte[] plain = PacketCipherHarness.BuildPacket(encryptor, new byte[40 * (int)seq + 9]);
            byte[] wire = PacketCipherHarness.Seal(encryptor, seq, plain);

            var expected = new byte[wire.Length];
            plain.CopyTo(expected, 0);
            int start = mac.IsEncryptThenMac ? 4 : 0;
            byte[]? tag = mac.IsEncryptThenMac ? null : Hmac(macName, keys.MacKey, Prefix(seq, plain));
            for (int i = start; i < plain.Length; i += 16)
            {
                sic.ProcessBlock(expected, i, expected, i);
            }

            tag ??= Hmac(macName, keys.MacKey, Prefix(seq, expected[..plain.Length]));
            tag.CopyTo(expected, plain.Length);
            Assert.Equal(expected, wire);
        }
    }

    private static byte[] Prefix(uint seq, byte[] data)
    {
        var result = new byte[4 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(result, seq);
        data.CopyTo(result, 4);
        return result;
    }

    private static byte[] Hmac(string macName, byte[] key, byte[] data) => macName switch
    {
        _ when macName.StartsWith("hmac-sha2-256", StringComparison.Ordinal) => HMACSHA256.HashData(key, data),
        _ when macName.StartsWith("hmac-sha2-512", StringComparison.Ordinal) => HMACSHA512.HashData(key, data),
        _ => HMACSHA1.HashData(key, data),
    };
}
