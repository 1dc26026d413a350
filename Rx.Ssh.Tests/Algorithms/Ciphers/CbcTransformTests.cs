using System.Security.Cryptography;
using Rx.Ssh.Algorithms;
using Rx.Ssh.Algorithms.Ciphers;
using Rx.Ssh.Algorithms.Macs;

namespace Rx.Ssh.Tests.Algorithms.Ciphers;

/// <summary>The CBC ciphers: NIST vectors, the chain carried across calls, packets with each MAC.</summary>
public class CbcTransformTests
{
    // NIST SP 800-38A F.2.1 / F.2.2 (CBC-AES128) and F.2.5 (CBC-AES256).
    private const string Plain =
        "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";

    private const string Iv = "000102030405060708090a0b0c0d0e0f";

    [Theory]
    [InlineData("2b7e151628aed2a6abf7158809cf4f3c",
        "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b273bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7")]
    [InlineData("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
        "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b")]
    public void Matches_the_NIST_vectors_with_the_chain_carried_across_calls(string keyHex, string cipherHex)
    {
        byte[] key = Convert.FromHexString(keyHex);
        byte[] data = Convert.FromHexString(Plain);
        using (var encryptor = new CbcTransform(Aes.Create(), key, Convert.FromHexString(Iv), encrypt: true))
        {
            // One block, then three: the second call must continue the chain.
            encryptor.Transform(data.AsSpan(0, 16));
            encryptor.Transform(data.AsSpan(16));
        }

        Assert.Equal(cipherHex, Convert.ToHexStringLower(data));

        using (var decryptor = new CbcTransform(Aes.Create(), key, Convert.FromHexString(Iv), encrypt: false))
        {
            decryptor.Transform(data.AsSpan(0, 48));
            decryptor.Transform(data.AsSpan(48));
        }

        Assert.Equal(Plain, Convert.ToHexStringLower(data));
    }

    [Fact]
    public void Triple_des_matches_a_one_shot_CBC_over_the_whole_stream()
    {
        var random = new Random(11);
        byte[] key = new byte[24];
        byte[] iv = new byte[8];
        byte[] data = new byte[8 * 40];
        random.NextBytes(key);
        random.NextBytes(iv);
        random.NextBytes(data);
        using TripleDES reference = TripleDES.Create();
        reference.Key = key;
        byte[] expected = reference.EncryptCbc(data, iv, PaddingMode.None);

        byte[] actual = (byte[])data.Clone();
        using (var encryptor = new CbcTransform(TripleDES.Create(), key, iv, encrypt: true))
        {
            encryptor.Transform(actual.AsSpan(0, 8));
            encryptor.Transform(actual.AsSpan(8, 64));
            encryptor.Transform(actual.AsSpan(72));
        }

        Assert.Equal(expected, actual);
        using (var decryptor = new CbcTransform(TripleDES.Create(), key, iv, encrypt: false))
        {
            decryptor.Transform(actual.AsSpan(0, 16));
            decryptor.Transform(actual.AsSpan(16));
        }

        Assert.Equal(data, actual);
    }

    [Fact]
    public void Partial_blocks_are_refused()
    {
        using var encryptor = new CbcTransform(Aes.Create(), new byte[16], new byte[16], encrypt: true);
        Assert.Throws<ArgumentException>(() => encryptor.Transform(new byte[15]));
    }

    public static TheoryData<string, string> Combinations() => new()
    {
        { "aes128-cbc", "hmac-sha1" },
        { "aes192-cbc", "hmac-sha2-256-etm@openssh.com" },
        { "aes256-cbc", "hmac-md5" },
        { "3des-cbc", "hmac-sha1-96" },
        { "3des-cbc", "hmac-md5-96-etm@openssh.com" },
        { "aes128-cbc", "hmac-md5-etm@openssh.com" },
        { "aes256-cbc", "hmac-sha1-96-etm@openssh.com" },
    };

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Packets_round_trip_and_tampering_fails(string cipherName, string macName)
    {
        CipherAlgorithm cipher = AlgorithmCatalog.Ciphers[cipherName];
        MacAlgorithm mac = AlgorithmCatalog.Macs[macName];
        var random = new Random(3);
        byte[] key = new byte[cipher.KeySize];
        byte[] iv = new byte[cipher.IvSize];
        byte[] macKey = new byte[mac.KeySize];
        random.NextBytes(key);
        random.NextBytes(iv);
        random.NextBytes(macKey);
        (IPacketEncryptor, IPacketDecryptor) Pair() =>
            (cipher.CreateEncryptor(key, iv, mac, macKey), cipher.CreateDecryptor(key, iv, mac, macKey));

        var (encryptor, decryptor) = Pair();
        using (encryptor)
        using (decryptor)
        {
            Assert.Equal(Math.Max(8, cipher.BlockSize), encryptor.BlockSize);
            Assert.Equal(mac.Length, encryptor.MacLength);
            PacketCipherHarness.AssertRoundTrips(encryptor, decryptor);
        }

        PacketCipherHarness.AssertEveryTamperFails(cipher, Pair);
        Assert.DoesNotContain(cipherName, SshAlgorithms.Default.Ciphers);
    }
}
