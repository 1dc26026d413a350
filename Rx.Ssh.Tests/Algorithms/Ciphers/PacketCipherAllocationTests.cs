using Rx.Ssh.Algorithms;
using Rx.Ssh.Algorithms.Ciphers;
using Rx.Ssh.Algorithms.Macs;

namespace Rx.Ssh.Tests.Algorithms.Ciphers;

/// <summary>The hot path must not allocate per packet.</summary>
public class PacketCipherAllocationTests
{
    public static TheoryData<string, string> Algorithms => new()
    {
        { "aes128-gcm@openssh.com", "" },
        { "aes256-gcm@openssh.com", "" },
        { "chacha20-poly1305@openssh.com", "" },
        { "aes128-ctr", "hmac-sha2-256" },
        { "aes256-ctr", "hmac-sha2-512-etm@openssh.com" },
        { "aes192-ctr", "hmac-sha1" },
        { "aes128-cbc", "hmac-sha1-96" },
        { "3des-cbc", "hmac-md5" },
        { "aes128-ctr", "umac-64-etm@openssh.com" },
        { "aes256-ctr", "umac-128@openssh.com" },
    };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Encrypting_and_decrypting_packets_does_not_allocate(string cipherName, string macName)
    {
        CipherAlgorithm cipher = AlgorithmCatalog.Ciphers[cipherName];
        MacAlgorithm? mac = macName.Length == 0 ? null : Macs.HmacMacTests.Find(macName);
        byte[]? macKey = mac is null ? null : new byte[mac.KeySize];
        // Distinct key bytes: 3DES refuses keys whose parts repeat (all zeros, say).
        byte[] key = [.. Enumerable.Range(1, cipher.KeySize).Select(i => (byte)i)];
        using IPacketEncryptor encryptor = cipher.CreateEncryptor(key, new byte[cipher.IvSize], mac, macKey);
        using IPacketDecryptor decryptor = cipher.CreateDecryptor(key, new byte[cipher.IvSize], mac, macKey);
        byte[] packet = PacketCipherHarness.BuildPacket(encryptor, new byte[1000]);
        var tag = new byte[encryptor.MacLength];

        uint seq = 0;
        void RunPackets(int count)
        {
            for (int i = 0; i < count; i++, seq++)
            {
                encryptor.Encrypt(seq, packet, tag);
                _ = decryptor.DecryptLength(seq, packet.AsSpan(0, decryptor.LengthPrefixSize));
                decryptor.Decrypt(seq, packet, tag);
            }
        }

        RunPackets(100);
        long before = GC.GetAllocatedBytesForCurrentThread();
        RunPackets(500);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Allow for a stray runtime allocation, but not one per packet.
        Assert.True(allocated < 500, $"{cipherName} {macName}: {allocated} bytes over 500 packets");
    }
}
