using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace Rx.Ssh.Algorithms.Ciphers;

/// <summary>
/// AES in counter mode (RFC 4344: the IV is the initial 128-bit big-endian counter). .NET has no
/// CTR mode, so this encrypts a batch of consecutive counter blocks with AES-ECB into a keystream
/// buffer and XORs the data with it; the keystream carries over between calls.
/// </summary>
internal sealed class AesCtrTransform : IBlockTransform
{
    private const int AesBlock = 16;

    /// <summary>Catalogue entry for <c>aes128-ctr</c> (RFC 4344); needs a negotiated MAC.</summary>
    internal static readonly CipherAlgorithm Aes128Ctr = Entry("aes128-ctr", 16);

    /// <summary>Catalogue entry for <c>aes192-ctr</c> (RFC 4344); needs a negotiated MAC.</summary>
    internal static readonly CipherAlgorithm Aes192Ctr = Entry("aes192-ctr", 24);

    /// <summary>Catalogue entry for <c>aes256-ctr</c> (RFC 4344); needs a negotiated MAC.</summary>
    internal static readonly CipherAlgorithm Aes256Ctr = Entry("aes256-ctr", 32);

    /// <summary>Counter blocks encrypted per ECB call.</summary>
    internal const int BatchBlocks = 512;

    private readonly Aes _aes;
    private readonly ICryptoTransform _ecb;
    private readonly byte[] _counters = new byte[BatchBlocks * AesBlock];
    private readonly byte[] _keystream = new byte[BatchBlocks * AesBlock];
    private ulong _counterHigh;
    private ulong _counterLow;
    private int _keystreamOffset = BatchBlocks * AesBlock;

    public AesCtrTransform(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv)
    {
        if (key.Length is not (16 or 24 or 32))
        {
            throw new ArgumentException("AES needs a 16-, 24- or 32-byte key.", nameof(key));
        }

        if (iv.Length < AesBlock)
        {
            throw new ArgumentException("AES-CTR needs a 16-byte initial counter.", nameof(iv));
        }

        _counterHigh = BinaryPrimitives.ReadUInt64BigEndian(iv);
        _counterLow = BinaryPrimitives.ReadUInt64BigEndian(iv[8..]);
        _aes = Aes.Create();
        byte[] keyCopy = key.ToArray();
        _aes.Key = keyCopy;
        CryptographicOperations.ZeroMemory(keyCopy);
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
    }

    public int BlockSize => AesBlock;

    public void Transform(Span<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (_keystreamOffset == _keystream.Length)
            {
                Refill();
            }

            int n = Math.Min(data.Length, _keystream.Length - _keystreamOffset);
            Xor(data[..n], _keystream.AsSpan(_keystreamOffset, n));
            _keystreamOffset += n;
            data = data[n..];
        }
    }

    public void Dispose()
    {
        _ecb.Dispose();
        _aes.Dispose();
        CryptographicOperations.ZeroMemory(_keystream);
        CryptographicOperations.ZeroMemory(_counters);
    }

    private static CipherAlgorithm Entry(string name, int keySize) => new(
        name,
        keySize,
        ivSize: AesBlock,
        blockSize: AesBlock,
        isAead: false,
        (key, iv, mac, macKey) => CipherMacEncryptor.Create(new AesCtrTransform(key, iv), mac, macKey),
        (key, iv, mac, macKey) => CipherMacDecryptor.Create(new AesCtrTransform(key, iv), mac, macKey));

    private void Refill()
    {
        Span<byte> counters = _counters;
        ulong high = _counterHigh;
        ulong low = _counterLow;
        for (int i = 0; i < counters.Length; i += AesBlock)
        {
            BinaryPrimitives.WriteUInt64BigEndian(counters[i..], high);
            BinaryPrimitives.WriteUInt64BigEndian(counters[(i + 8)..], low);
            low = unchecked(low + 1);
            if (low == 0)
            {
                high = unchecked(high + 1);
            }
        }

        _counterHigh = high;
        _counterLow = low;
        _ecb.TransformBlock(_counters, 0, _counters.Length, _keystream, 0);
        _keystreamOffset = 0;
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> keystream)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int width = Vector<byte>.Count;
            for (; i <= data.Length - width; i += width)
            {
                (new Vector<byte>(data[i..]) ^ new Vector<byte>(keystream[i..])).CopyTo(data[i..]);
            }
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= keystream[i];
        }
    }
}
