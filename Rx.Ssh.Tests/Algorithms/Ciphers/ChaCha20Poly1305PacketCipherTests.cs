using System.Buffers.Binary;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;
using Rx.Ssh.Algorithms.Ciphers;

namespace Rx.Ssh.Tests.Algorithms.Ciphers;

public class ChaCha20Poly1305PacketCipherTests
{
    private static readonly CipherAlgorithm Algorithm = ChaCha20Poly1305PacketCipher.ChaCha20Poly1305;

    private static byte[] Key(byte seed)
    {
        var key = new byte[64];
        for (int i = 0; i < key.Length; i++)
        {
            key[i] = (byte)(seed * 7 + i * 13);
        }

        return key;
    }

    [Fact]
    public void Catalogue_entry_describes_the_algorithm()
    {
        Assert.Equal("chacha20-poly1305@openssh.com", Algorithm.Name);
        Assert.Equal(64, Algorithm.KeySize);
        Assert.Equal(0, Algorithm.IvSize);
        Assert.Equal(8, Algorithm.BlockSize);
        Assert.True(Algorithm.IsAead);
        Assert.True(Algorithm.IsAvailable);
    }

    [Fact]
    public void Packets_round_trip()
    {
        byte[] key = Key(1);
        using IPacketEncryptor encryptor = Algorithm.CreateEncryptor(key, [], null, null);
        using IPacketDecryptor decryptor = Algorithm.CreateDecryptor(key, [], null, null);
        Assert.Equal(16, encryptor.MacLength);
        Assert.Equal(8, encryptor.BlockSize);
        Assert.True(decryptor.IsLengthExcludedFromPadding);
        Assert.Equal(4, decryptor.LengthPrefixSize);
        PacketCipherHarness.AssertRoundTrips(encryptor, decryptor, firstSequenceNumber: uint.MaxValue - 4);
    }

    [Fact]
    public void Any_flipped_byte_fails_with_MacError()
    {
        byte[] key = Key(2);
        PacketCipherHarness.AssertEveryTamperFails(Algorithm, () =>
            (Algorithm.CreateEncryptor(key, [], null, null), Algorithm.CreateDecryptor(key, [], null, null)));
    }

    [Fact]
    public void Wrong_sequence_number_fails_with_MacError()
    {
        byte[] key = Key(3);
        using IPacketEncryptor encryptor = Algorithm.CreateEncryptor(key, [], null, null);
        using IPacketDecryptor decryptor = Algorithm.CreateDecryptor(key, [], null, null);
        byte[] wire = PacketCipherHarness.Seal(encryptor, 10, PacketCipherHarness.BuildPacket(encryptor, "hello"u8));
        var ex = Assert.Throws<SshConnectionException>(() => PacketCipherHarness.OpenIgnoringLength(decryptor, 11, wire));
        Assert.Equal(DisconnectReason.MacError, ex.Reason);
    }

    [Fact]
    public void Failed_verification_leaves_the_packet_undecrypted()
    {
        byte[] key = Key(4);
        using IPacketEncryptor encryptor = Algorithm.CreateEncryptor(key, [], null, null);
        using IPacketDecryptor decryptor = Algorithm.CreateDecryptor(key, [], null, null);
        byte[] wire = PacketCipherHarness.Seal(encryptor, 0, PacketCipherHarness.BuildPacket(encryptor, "secret"u8));
        wire[^1] ^= 0x80;
        byte[] received = (byte[])wire.Clone();
        int size = received.Length - 16;
        Assert.Throws<SshConnectionException>(() => decryptor.Decrypt(0, received.AsSpan(0, size), received.AsSpan(size)));
        Assert.Equal(wire, received);
    }

    [Theory]
    [InlineData(0u, 0)]
    [InlineData(1u, 12)]
    [InlineData(0x01020304u, 250)]
    [InlineData(uint.MaxValue, 32768)]
    public void Matches_an_independent_BouncyCastle_construction(uint sequenceNumber, int payloadSize)
    {
        byte[] key = Key(5);
        using IPacketEncryptor encryptor = Algorithm.CreateEncryptor(key, [], null, null);
        var payload = new byte[payloadSize];
        new Random(payloadSize).NextBytes(payload);
        byte[] plain = PacketCipherHarness.BuildPacket(encryptor, payload);
        byte[] wire = PacketCipherHarness.Seal(encryptor, sequenceNumber, plain);
        Assert.Equal(ReferenceSeal(key, sequenceNumber, plain), wire);

        using IPacketDecryptor decryptor = Algorithm.CreateDecryptor(key, [], null, null);
        Assert.Equal(plain, PacketCipherHarness.Open(decryptor, sequenceNumber, wire));
    }

    /// <summary>
    /// PROTOCOL.chacha20poly1305 written out with BouncyCastle's original (64-bit nonce) ChaCha20
    /// and Poly1305: K_2 = key[0..32], K_1 = key[32..64], nonce = BE64(seq).
    /// </summary>
    private static byte[] ReferenceSeal(byte[] key, uint sequenceNumber, byte[] plain)
    {
        var nonce = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(nonce, sequenceNumber);
        byte[] k2 = key[..32];
        byte[] k1 = key[32..];
        var output = new byte[plain.Length + 16];

        var lengthCipher = new ChaChaEngine(20);
        lengthCipher.Init(true, new ParametersWithIV(new KeyParameter(k1), nonce));
        lengthCipher.ProcessBytes(plain, 0, 4, output, 0);

        var mainCipher = new ChaChaEngine(20);
        mainCipher.Init(true, new ParametersWithIV(new KeyParameter(k2), nonce));
        var block0 = new byte[64];
        mainCipher.ProcessBytes(new byte[64], 0, 64, block0, 0);
        mainCipher.ProcessBytes(plain, 4, plain.Length - 4, output, 4);

        var poly = new Poly1305();
        poly.Init(new KeyParameter(block0[..32]));
        poly.BlockUpdate(output, 0, plain.Length);
        poly.DoFinal(output, plain.Length);
        return output;
    }
}
