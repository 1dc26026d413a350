using System.Text;
using Rx.Ssh.Algorithms;
using Rx.Ssh.Algorithms.Macs;

namespace Rx.Ssh.Tests.Algorithms.Macs;

/// <summary>UMAC against RFC 4418's test vectors, and the SSH adapter's nonce and sizes.</summary>
public class UmacTests
{
    private static readonly byte[] Key = Encoding.ASCII.GetBytes("abcdefghijklmnop");
    private static readonly byte[] Nonce = Encoding.ASCII.GetBytes("bcdefghi");

    // RFC 4418 appendix (K = "abcdefghijklmnop", N = "bcdefghi"); the 'a' * 2^25 row as corrected
    // by the RFC's erratum. The 128-bit column is not in the RFC: its first 12 bytes are the 96-bit tag.
    [Theory]
    [InlineData("", 0, "113145fb", "6e155fad26900be1", "32fedb100c79ad58f07ff764", "32fedb100c79ad58f07ff7643cc60465")]
    [InlineData("a", 3, "3b91d102", "44b5cb542f220104", "185e4fe905cba7bd85e4c2dc", "185e4fe905cba7bd85e4c2dc3d117d8d")]
    [InlineData("a", 1 << 10, "599b350b", "26bf2f5d60118bd9", "7a54abe04af82d60fb298c3c", "7a54abe04af82d60fb298c3cbd195bcb")]
    [InlineData("a", 1 << 15, "58dcf532", "27f8ef643b0d118d", "7b136bd911e4b734286ef2be", "7b136bd911e4b734286ef2be501f2c3c")]
    [InlineData("a", 1 << 20, "db6364d1", "a4477e87e9f55853", "f8acfa3ac31cfeea047f7b11", "f8acfa3ac31cfeea047f7b115b03bef5")]
    [InlineData("a", 1 << 25, "85ee5cae", "faca46f856e9b45f", null, "a621c2457c0012e64f3fdae9e7e1870c")]
    [InlineData("abc", 1, "abf3a3a0", "d4d7b9f6bd4fbfcf", "883c3d4b97a61976ffcf2323", null)]
    [InlineData("abc", 500, "abeb3c8b", "d4cf26ddefd5c01a", "8824a260c53c66a36c9260a6", null)]
    public void Matches_the_RFC_4418_vectors(string unit, int repeat, string tag32, string tag64, string? tag96, string? tag128)
    {
        byte[] message = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(unit, repeat)));
        Assert.Equal(tag32, Tag(message, 4));
        Assert.Equal(tag64, Tag(message, 8));
        if (tag96 is not null)
        {
            Assert.Equal(tag96, Tag(message, 12));
        }

        if (tag128 is not null)
        {
            Assert.Equal(tag128, Tag(message, 16));
        }
    }

    [Fact]
    public void The_same_instance_gives_the_same_tag_again_and_the_nonce_matters()
    {
        using var umac = new Umac(Key, 8);
        byte[] message = Encoding.ASCII.GetBytes("abc");
        var first = new byte[8];
        var again = new byte[8];
        var other = new byte[8];
        umac.Compute(message, Nonce, first);
        umac.Compute(message, "bcdefghj"u8, other);
        umac.Compute(message, Nonce, again);
        Assert.Equal("d4d7b9f6bd4fbfcf", Convert.ToHexStringLower(first));
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Theory]
    [InlineData("umac-64@openssh.com", 8, false)]
    [InlineData("umac-128@openssh.com", 16, false)]
    [InlineData("umac-64-etm@openssh.com", 8, true)]
    [InlineData("umac-128-etm@openssh.com", 16, true)]
    public void The_SSH_MAC_uses_the_sequence_number_as_an_8_byte_big_endian_nonce(string name, int length, bool etm)
    {
        MacAlgorithm algorithm = AlgorithmCatalog.Macs[name];
        Assert.Equal(16, algorithm.KeySize);
        Assert.Equal(length, algorithm.Length);
        Assert.Equal(etm, algorithm.IsEncryptThenMac);
        using IMac mac = algorithm.Create(Key);
        byte[] packet = Encoding.ASCII.GetBytes("some packet bytes");
        var actual = new byte[length];
        mac.Compute(0x01020304, packet, actual);

        using var umac = new Umac(Key, length);
        var expected = new byte[length];
        umac.Compute(packet, [0, 0, 0, 0, 1, 2, 3, 4], expected);
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("aes128-ctr", "umac-64@openssh.com")]
    [InlineData("aes256-ctr", "umac-128@openssh.com")]
    [InlineData("aes128-cbc", "umac-64-etm@openssh.com")]
    [InlineData("aes192-ctr", "umac-128-etm@openssh.com")]
    public void Packets_round_trip_and_tampering_fails(string cipherName, string macName)
    {
        Rx.Ssh.Algorithms.Ciphers.CipherAlgorithm cipher = AlgorithmCatalog.Ciphers[cipherName];
        MacAlgorithm mac = AlgorithmCatalog.Macs[macName];
        var random = new Random(5);
        byte[] key = new byte[cipher.KeySize];
        byte[] iv = new byte[cipher.IvSize];
        byte[] macKey = new byte[mac.KeySize];
        random.NextBytes(key);
        random.NextBytes(iv);
        random.NextBytes(macKey);
        (Rx.Ssh.Algorithms.Ciphers.IPacketEncryptor, Rx.Ssh.Algorithms.Ciphers.IPacketDecryptor) Pair() =>
            (cipher.CreateEncryptor(key, iv, mac, macKey), cipher.CreateDecryptor(key, iv, mac, macKey));
        var (encryptor, decryptor) = Pair();
        using (encryptor)
        using (decryptor)
        {
            Assert.Equal(mac.Length, encryptor.MacLength);
            Ciphers.PacketCipherHarness.AssertRoundTrips(encryptor, decryptor, firstSequenceNumber: uint.MaxValue - 3);
        }

        Ciphers.PacketCipherHarness.AssertEveryTamperFails(cipher, Pair);
    }

    [Fact]
    public void Bad_keys_and_sizes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new Umac(new byte[15], 8));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Umac(Key, 6));
    }

    private static string Tag(byte[] message, int length)
    {
        using var umac = new Umac(Key, length);
        var tag = new byte[length];
        umac.Compute(message, Nonce, tag);
        return Convert.ToHexStringLower(tag);
    }
}
