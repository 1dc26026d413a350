using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Rx.Ssh.Algorithms.Ciphers;

namespace Rx.Ssh.Tests.Algorithms.Ciphers;

public class AesCtrTransformTests
{
    private const string Sp80038APlaintext =
        "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";

    private const string Sp80038ACounter = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

    // NIST SP 800-38A F.5.1, F.5.3, F.5.5 (CTR-AES128/192/256.Encrypt).
    [Theory]
    [InlineData("2b7e151628aed2a6abf7158809cf4f3c",
        "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee")]
    [InlineData("8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
        "1abc932417521ca24f2b0459fe7e6e0b090339ec0aa6faefd5ccc2c6f4ce8e941e36b26bd1ebc670d1bd1d665620abf74f78a7f6d29809585a97daec58c6b050")]
    [InlineData("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
        "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c52b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6")]
    public void Matches_SP800_38A(string keyHex, string cipherHex)
    {
        byte[] data = Convert.FromHexString(Sp80038APlaintext);
        using var ctr = new AesCtrTransform(Convert.FromHexString(keyHex), Convert.FromHexString(Sp80038ACounter));
        // Split unevenly across calls: the keystream must continue where it stopped.
        ctr.Transform(data.AsSpan(0, 16));
        ctr.Transform(data.AsSpan(16, 32));
        ctr.Transform(data.AsSpan(48));
        Assert.Equal(cipherHex, Convert.ToHexStringLower(data));

        using var back = new AesCtrTransform(Convert.FromHexString(keyHex), Convert.FromHexString(Sp80038ACounter));
        back.Transform(data);
        Assert.Equal(Sp80038APlaintext, Convert.ToHexStringLower(data));
    }

    [Theory]
    [InlineData("00000000000000000000000000000000")]
    [InlineData("0000000000000000fffffffffffffff0")] // the low 64 bits carry into the high 64
    [InlineData("fffffffffffffffffffffffffffffff8")] // the whole 128-bit counter wraps
    public void Long_streams_match_BouncyCastle_including_counter_carries(string counterHex)
    {
        byte[] key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f1011121314151617");
        byte[] iv = Convert.FromHexString(counterHex);
        var data = new byte[3 * AesCtrTransform.BatchBlocks * 16 + 48];
        new Random(42).NextBytes(data);
        byte[] expected = Reference(key, iv, data);

        using var ctr = new AesCtrTransform(key, iv);
        int[] chunks = [16, 4096, 32, 8192 + 16, 16 * 5];
        int offset = 0;
        int next = 0;
        while (offset < data.Length)
        {
            int n = Math.Min(chunks[next++ % chunks.Length], data.Length - offset);
            ctr.Transform(data.AsSpan(offset, n));
            offset += n;
        }

        Assert.Equal(expected, data);
    }

    private static byte[] Reference(byte[] key, byte[] iv, byte[] data)
    {
        var sic = new SicBlockCipher(new AesEngine());
        sic.Init(true, new ParametersWithIV(new KeyParameter(key), iv));
        var output = new byte[data.Length];
        for (int i = 0; i < data.Length; i += 16)
        {
            sic.ProcessBlock(data, i, output, i);
        }

        return output;
    }
}
