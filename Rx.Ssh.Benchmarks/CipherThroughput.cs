using System.Buffers.Binary;
using System.Diagnostics;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Rx.Ssh.Algorithms;
using Rx.Ssh.Algorithms.Ciphers;
using Rx.Ssh.Algorithms.Macs;

/// <summary>
/// Packet cipher throughput: each algorithm encrypts and decrypts 32 KiB packets in place for
/// about a second; prints MB/s of packet bytes (each byte encrypted once and decrypted once) and
/// the bytes allocated per packet. A measurement, not a test.
/// </summary>
internal static class CipherThroughput
{
    private const int PayloadSize = 32 * 1024;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(1);

    public static void Run(TextWriter output)
    {
        output.WriteLine($"Packet ciphers, {PayloadSize / 1024} KiB payload, encrypt + decrypt, one thread:");
        foreach (CipherAlgorithm aead in new[] { AesGcmPacketCipher.Aes128Gcm, AesGcmPacketCipher.Aes256Gcm, ChaCha20Poly1305PacketCipher.ChaCha20Poly1305 })
        {
            Measure(output, aead, null);
        }

        foreach (CipherAlgorithm cipher in new[] { AesCtrTransform.Aes128Ctr, AesCtrTransform.Aes256Ctr })
        {
            foreach (MacAlgorithm mac in new[] { HmacMac.HmacSha256Etm, HmacMac.HmacSha512Etm, HmacMac.HmacSha1Etm, HmacMac.HmacSha256 })
            {
                Measure(output, cipher, mac);
            }
        }

        output.WriteLine("AES-128-CTR keystream alone (one direction):");
        using var ctr = new AesCtrTransform(new byte[16], new byte[16]);
        MeasureRaw(output, "ECB-batched AesCtrTransform", data => ctr.Transform(data));
        IBufferedCipher sic = new BufferedBlockCipher(new SicBlockCipher(AesUtilities.CreateEngine()));
        sic.Init(true, new ParametersWithIV(new KeyParameter(new byte[16]), new byte[16]));
        MeasureRaw(output, "BouncyCastle SicBlockCipher", data => sic.ProcessBytes(data, data));
    }

    private static void Measure(TextWriter output, CipherAlgorithm cipher, MacAlgorithm? mac)
    {
        var random = new Random(1);
        var key = new byte[cipher.KeySize];
        var iv = new byte[cipher.IvSize];
        byte[]? macKey = mac is null ? null : new byte[mac.KeySize];
        random.NextBytes(key);
        random.NextBytes(iv);
        if (macKey is not null)
        {
            random.NextBytes(macKey);
        }

        using IPacketEncryptor encryptor = cipher.CreateEncryptor(key, iv, mac, macKey);
        using IPacketDecryptor decryptor = cipher.CreateDecryptor(key, iv, mac, macKey);
        int block = encryptor.BlockSize;
        int aligned = (encryptor.IsLengthExcludedFromPadding ? 1 : 5) + PayloadSize;
        int padding = block - (aligned % block);
        padding += padding < 4 ? block : 0;
        var packet = new byte[5 + PayloadSize + padding];
        var tag = new byte[encryptor.MacLength];
        BinaryPrimitives.WriteUInt32BigEndian(packet, (uint)(packet.Length - 4));
        packet[4] = (byte)padding;

        uint seq = 0;
        void OnePacket()
        {
            encryptor.Encrypt(seq, packet, tag);
            uint length = decryptor.DecryptLength(seq, packet.AsSpan(0, decryptor.LengthPrefixSize));
            decryptor.Decrypt(seq, packet.AsSpan(0, (int)length + 4), tag);
            seq++;
        }

        for (int i = 0; i < 200; i++)
        {
            OnePacket();
        }

        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long packets = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Duration)
        {
            for (int i = 0; i < 64; i++)
            {
                OnePacket();
            }

            packets += 64;
        }

        clock.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        double mbps = packets * (double)packet.Length / clock.Elapsed.TotalSeconds / 1e6;
        string name = mac is null ? cipher.Name : $"{cipher.Name} + {mac.Name}";
        output.WriteLine($"  {name,-48} {mbps,8:F0} MB/s   {allocated / (double)packets,6:F1} B allocated/packet");
    }

    private static void MeasureRaw(TextWriter output, string name, Action<byte[]> transform)
    {
        var data = new byte[PayloadSize];
        for (int i = 0; i < 100; i++)
        {
            transform(data);
        }

        long bytes = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Duration)
        {
            for (int i = 0; i < 32; i++)
            {
                transform(data);
            }

            bytes += 32L * data.Length;
        }

        output.WriteLine($"  {name,-48} {bytes / clock.Elapsed.TotalSeconds / 1e6,8:F0} MB/s");
    }
}
