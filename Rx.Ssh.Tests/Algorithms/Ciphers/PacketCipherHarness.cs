using System.Buffers.Binary;
using Rx.Ssh.Algorithms.Ciphers;

namespace Rx.Ssh.Tests.Algorithms.Ciphers;

/// <summary>Builds padded binary packets and runs them through an encryptor/decryptor pair the way the transport will.</summary>
internal static class PacketCipherHarness
{
    /// <summary>A plaintext packet (length, padding length, payload, padding) aligned for <paramref name="encryptor"/>.</summary>
    public static byte[] BuildPacket(IPacketEncryptor encryptor, ReadOnlySpan<byte> payload, int extraPaddingBlocks = 0)
    {
        int block = encryptor.BlockSize;
        int aligned = encryptor.IsLengthExcludedFromPadding ? 1 + payload.Length : 5 + payload.Length;
        int padding = block - (aligned % block);
        if (padding < 4)
        {
            padding += block;
        }

        padding += extraPaddingBlocks * block;
        var packet = new byte[5 + payload.Length + padding];
        BinaryPrimitives.WriteUInt32BigEndian(packet, (uint)(packet.Length - 4));
        packet[4] = (byte)padding;
        payload.CopyTo(packet.AsSpan(5));
        for (int i = 0; i < padding; i++)
        {
            packet[5 + payload.Length + i] = (byte)(0xA0 + i);
        }

        return packet;
    }

    /// <summary>Encrypts a copy of <paramref name="plain"/>; returns ciphertext followed by the MAC.</summary>
    public static byte[] Seal(IPacketEncryptor encryptor, uint sequenceNumber, byte[] plain)
    {
        var wire = new byte[plain.Length + encryptor.MacLength];
        plain.CopyTo(wire, 0);
        encryptor.Encrypt(sequenceNumber, wire.AsSpan(0, plain.Length), wire.AsSpan(plain.Length));
        return wire;
    }

    /// <summary>Opens <paramref name="wire"/> (ciphertext + MAC) like the transport's reader and returns the plaintext packet.</summary>
    public static byte[] Open(IPacketDecryptor decryptor, uint sequenceNumber, byte[] wire)
    {
        var received = (byte[])wire.Clone();
        uint length = decryptor.DecryptLength(sequenceNumber, received.AsSpan(0, decryptor.LengthPrefixSize));
        int packetSize = received.Length - decryptor.MacLength;
        Assert.Equal((uint)(packetSize - 4), length);
        int aligned = decryptor.IsLengthExcludedFromPadding ? packetSize - 4 : packetSize;
        Assert.Equal(0, aligned % decryptor.BlockSize);
        decryptor.Decrypt(sequenceNumber, received.AsSpan(0, packetSize), received.AsSpan(packetSize));
        return received[..packetSize];
    }

    /// <summary>Like <see cref="Open"/> but ignores the decrypted length (it may be garbage after tampering).</summary>
    public static void OpenIgnoringLength(IPacketDecryptor decryptor, uint sequenceNumber, byte[] wire)
    {
        var received = (byte[])wire.Clone();
        _ = decryptor.DecryptLength(sequenceNumber, received.AsSpan(0, decryptor.LengthPrefixSize));
        int packetSize = received.Length - decryptor.MacLength;
        decryptor.Decrypt(sequenceNumber, received.AsSpan(0, packetSize), received.AsSpan(packetSize));
    }

    /// <summary>Sends several packets of different lengths with advancing sequence numbers and checks they come back unchanged.</summary>
    public static void AssertRoundTrips(IPacketEncryptor encryptor, IPacketDecryptor decryptor, uint firstSequenceNumber = 3)
    {
        var random = new Random(1234);
        int[] payloadSizes = [0, 1, 7, 15, 16, 31, 100, 1000, 32768, 35000, 3];
        uint seq = firstSequenceNumber;
        foreach (int size in payloadSizes)
        {
            var payload = new byte[size];
            random.NextBytes(payload);
            byte[] plain = BuildPacket(encryptor, payload, extraPaddingBlocks: size % 3);
            byte[] wire = Seal(encryptor, seq, plain);
            Assert.NotEqual(plain.AsSpan(5).ToArray(), wire.AsSpan(5, plain.Length - 5).ToArray());
            byte[] opened = Open(decryptor, seq, wire);
            Assert.Equal(plain, opened);
            seq = unchecked(seq + 1);
        }
    }

    /// <summary>Flips each byte position (length, body, MAC) in turn; every flip must fail with MacError.</summary>
    public static void AssertEveryTamperFails(CipherAlgorithm algorithm, Func<(IPacketEncryptor Encryptor, IPacketDecryptor Decryptor)> create)
    {
        var (encryptor, _) = create();
        using (encryptor)
        {
            byte[] plain = BuildPacket(encryptor, "tamper with me, any byte"u8);
            byte[] wire = Seal(encryptor, 7, plain);
            for (int i = 0; i < wire.Length; i++)
            {
                var tampered = (byte[])wire.Clone();
                tampered[i] ^= 0x01;
                var (e2, decryptor) = create();
                using (e2)
                using (decryptor)
                {
                    var ex = Assert.Throws<SshConnectionException>(() => OpenIgnoringLength(decryptor, 7, tampered));
                    Assert.True(ex.Reason == DisconnectReason.MacError, $"{algorithm.Name}: byte {i} gave {ex.Reason}");
                }
            }
        }
    }
}
