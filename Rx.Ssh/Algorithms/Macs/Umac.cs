using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Rx.Ssh.Algorithms.Macs;

/// <summary>
/// UMAC (RFC 4418) with AES-128 as the block cipher, for tags of 4, 8, 12 or 16 bytes:
/// <c>tag = UHASH(K, M) xor PDF(K, nonce)</c>. UHASH is NH (L1) per 1024-byte chunk, a
/// polynomial hash mod 2^64-59 (L2, switching to mod 2^128-159 past 2^14 words of L1 output,
/// i.e. messages over 16 MiB, as the RFC's erratum has it) and an inner product mod 2^36-5 (L3),
/// once per 4 bytes of tag. Keys are derived at construction; <see cref="Compute"/> allocates
/// nothing for messages up to 16 MiB (every SSH packet).
/// </summary>
internal sealed class Umac : IDisposable
{
    private const int L1KeyBytes = 1024;
    private const int L1ChunkWords = L1KeyBytes / 4;
    private const ulong P64 = ulong.MaxValue - 58;           // 2^64 - 59
    private const ulong P36 = (1UL << 36) - 5;
    private const ulong Mask64 = 0x01FFFFFF01FFFFFFUL;
    private const ulong MaxWordRange64 = ulong.MaxValue - 0xFFFFFFFFUL; // 2^64 - 2^32
    private const int Poly64Limit = 1 << 17;                  // bytes of L1 output hashed by POLY64 (2^14 words; RFC 4418 erratum)

    private static readonly BigInteger P128 = (BigInteger.One << 128) - 159;
    private static readonly BigInteger MaxWordRange128 = (BigInteger.One << 128) - (BigInteger.One << 96);

    private readonly Aes _pdfAes;
    private readonly ICryptoTransform _pdfEcb;
    private readonly int _tagLength;
    private readonly int _iterations;
    private readonly uint[] _l1Key;       // big-endian words, shifted by 4 words per iteration
    private readonly ulong[] _l2Key64;
    private readonly UInt128[] _l2Key128;
    private readonly ulong[] _l3Key1;     // 8 per iteration, reduced mod 2^36-5
    private readonly uint[] _l3Key2;
    private readonly byte[] _pdfNonce = new byte[16];
    private readonly byte[] _pdfBlock = new byte[16];
    private bool _pdfValid;

    public Umac(ReadOnlySpan<byte> key, int tagLength)
    {
        if (key.Length != 16)
        {
            throw new ArgumentException("UMAC-AES needs a 16-byte key.", nameof(key));
        }

        if (tagLength is not (4 or 8 or 12 or 16))
        {
            throw new ArgumentOutOfRangeException(nameof(tagLength), "UMAC tags are 4, 8, 12 or 16 bytes.");
        }

        _tagLength = tagLength;
        _iterations = tagLength / 4;
        using Aes aes = Aes.Create();
        byte[] keyCopy = key.ToArray();
        aes.Key = keyCopy;
        CryptographicOperations.ZeroMemory(keyCopy);

        byte[] l1 = Kdf(aes, 1, L1KeyBytes + ((_iterations - 1) * 16));
        _l1Key = new uint[l1.Length / 4];
        for (int i = 0; i < _l1Key.Length; i++)
        {
            _l1Key[i] = BinaryPrimitives.ReadUInt32BigEndian(l1.AsSpan(i * 4));
        }

        byte[] l2 = Kdf(aes, 2, _iterations * 24);
        _l2Key64 = new ulong[_iterations];
        _l2Key128 = new UInt128[_iterations];
        for (int i = 0; i < _iterations; i++)
        {
            ReadOnlySpan<byte> k = l2.AsSpan(i * 24, 24);
            _l2Key64[i] = BinaryPrimitives.ReadUInt64BigEndian(k) & Mask64;
            _l2Key128[i] = new UInt128(BinaryPrimitives.ReadUInt64BigEndian(k[8..]) & Mask64, BinaryPrimitives.ReadUInt64BigEndian(k[16..]) & Mask64);
        }

        byte[] l3a = Kdf(aes, 3, _iterations * 64);
        _l3Key1 = new ulong[_iterations * 8];
        for (int i = 0; i < _l3Key1.Length; i++)
        {
            _l3Key1[i] = BinaryPrimitives.ReadUInt64BigEndian(l3a.AsSpan(i * 8)) % P36;
        }

        byte[] l3b = Kdf(aes, 4, _iterations * 4);
        _l3Key2 = new uint[_iterations];
        for (int i = 0; i < _iterations; i++)
        {
            _l3Key2[i] = BinaryPrimitives.ReadUInt32BigEndian(l3b.AsSpan(i * 4));
        }

        byte[] pdfKey = Kdf(aes, 0, 16);
        _pdfAes = Aes.Create();
        _pdfAes.Key = pdfKey;
        _pdfAes.Mode = CipherMode.ECB;
        _pdfAes.Padding = PaddingMode.None;
        _pdfEcb = _pdfAes.CreateEncryptor();
        CryptographicOperations.ZeroMemory(pdfKey);
        CryptographicOperations.ZeroMemory(l1);
        CryptographicOperations.ZeroMemory(l2);
        CryptographicOperations.ZeroMemory(l3a);
        CryptographicOperations.ZeroMemory(l3b);
    }

    public int TagLength => _tagLength;

    /// <summary>Writes the <see cref="TagLength"/>-byte tag of <paramref name="message"/> under <paramref name="nonce"/> (1 to 16 bytes).</summary>
    public void Compute(ReadOnlySpan<byte> message, ReadOnlySpan<byte> nonce, Span<byte> tag)
    {
        if (nonce.IsEmpty || nonce.Length > 16)
        {
            throw new ArgumentException("A UMAC nonce is 1 to 16 bytes.", nameof(nonce));
        }

        for (int i = 0; i < _iterations; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(tag[(i * 4)..], UHashIteration(message, i));
        }

        Pdf(nonce, tag[.._tagLength]);
    }

    public void Dispose()
    {
        _pdfEcb.Dispose();
        _pdfAes.Dispose();
        Array.Clear(_l1Key);
        Array.Clear(_l2Key64);
        Array.Clear(_l2Key128);
        Array.Clear(_l3Key1);
        Array.Clear(_l3Key2);
        CryptographicOperations.ZeroMemory(_pdfBlock);
    }

    /// <summary>KDF (RFC 4418 section 3.2.1): AES of <c>uint64 index || uint64 counter</c>, counter from 1.</summary>
    private static byte[] Kdf(Aes aes, ulong index, int length)
    {
        int blocks = (length + 15) / 16;
        var output = new byte[blocks * 16];
        Span<byte> input = stackalloc byte[16];
        for (int i = 0; i < blocks; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(input, index);
            BinaryPrimitives.WriteUInt64BigEndian(input[8..], (ulong)i + 1);
            aes.EncryptEcb(input, output.AsSpan(i * 16, 16), PaddingMode.None);
        }

        return length == output.Length ? output : output[..length];
    }

    /// <summary>PDF (section 3.2.2): XORs the pad for <paramref name="nonce"/> into <paramref name="tag"/>.</summary>
    private void Pdf(ReadOnlySpan<byte> nonce, Span<byte> tag)
    {
        int index = 0;
        Span<byte> block = stackalloc byte[16];
        block.Clear();
        nonce.CopyTo(block);
        if (_tagLength is 4 or 8)
        {
            int mask = (16 / _tagLength) - 1;
            index = nonce[^1] & mask;
            block[nonce.Length - 1] &= (byte)~mask;
        }

        if (!_pdfValid || !block.SequenceEqual(_pdfNonce))
        {
            block.CopyTo(_pdfNonce);
            _pdfEcb.TransformBlock(_pdfNonce, 0, 16, _pdfBlock, 0);
            _pdfValid = true;
        }

        ReadOnlySpan<byte> pad = _pdfBlock.AsSpan(index * _tagLength, _tagLength);
        for (int i = 0; i < tag.Length; i++)
        {
            tag[i] ^= pad[i];
        }
    }

    private uint UHashIteration(ReadOnlySpan<byte> message, int iteration)
    {
        ReadOnlySpan<uint> l1Key = _l1Key.AsSpan(iteration * 4, L1ChunkWords);
        UInt128 b;
        if (message.Length <= L1KeyBytes)
        {
            b = L1Chunk(l1Key, message);
        }
        else
        {
            b = L2(l1Key, message, iteration);
        }

        return L3(b, iteration);
    }

    /// <summary>NH plus the chunk's bit length, for one chunk of at most 1024 bytes (zero-padded to 32).</summary>
    private static ulong L1Chunk(ReadOnlySpan<uint> key, ReadOnlySpan<byte> chunk)
    {
        ulong bits = (ulong)chunk.Length * 8;
        int whole = chunk.Length & ~31;
        ulong y = Nh(key, chunk[..whole]);
        if (whole != chunk.Length || chunk.IsEmpty)
        {
            Span<byte> last = stackalloc byte[32];
            last.Clear();
            chunk[whole..].CopyTo(last);
            y = unchecked(y + Nh(key[(whole / 4)..], last));
        }

        return unchecked(y + bits);
    }

    /// <summary>NH over whole 32-byte blocks: message words little-endian, key words big-endian.</summary>
    private static ulong Nh(ReadOnlySpan<uint> key, ReadOnlySpan<byte> data)
    {
        if (!BitConverter.IsLittleEndian)
        {
            return NhPortable(key, data);
        }

        ReadOnlySpan<uint> m = MemoryMarshal.Cast<byte, uint>(data);
        key = key[..m.Length];
        ulong y = 0;
        for (int w = 0; w < m.Length; w += 8)
        {
            y = unchecked(y
                + ((ulong)(m[w] + key[w]) * (m[w + 4] + key[w + 4]))
                + ((ulong)(m[w + 1] + key[w + 1]) * (m[w + 5] + key[w + 5]))
                + ((ulong)(m[w + 2] + key[w + 2]) * (m[w + 6] + key[w + 6]))
                + ((ulong)(m[w + 3] + key[w + 3]) * (m[w + 7] + key[w + 7])));
        }

        return y;
    }

    private static ulong NhPortable(ReadOnlySpan<uint> key, ReadOnlySpan<byte> data)
    {
        ulong y = 0;
        for (int i = 0, w = 0; i < data.Length; i += 32, w += 8)
        {
            ReadOnlySpan<byte> m = data.Slice(i, 32);
            for (int j = 0; j < 4; j++)
            {
                uint a = unchecked(BinaryPrimitives.ReadUInt32LittleEndian(m[(j * 4)..]) + key[w + j]);
                uint c = unchecked(BinaryPrimitives.ReadUInt32LittleEndian(m[((j + 4) * 4)..]) + key[w + j + 4]);
                y = unchecked(y + ((ulong)a * c));
            }
        }

        return y;
    }

    /// <summary>L1 over every chunk streamed into L2-HASH (section 5.3).</summary>
    private UInt128 L2(ReadOnlySpan<uint> l1Key, ReadOnlySpan<byte> message, int iteration)
    {
        ulong k64 = _l2Key64[iteration];
        ulong y = 1;
        int l1Bytes = 0;
        BigInteger? y128 = null;
        ulong? pendingHigh = null;
        while (!message.IsEmpty)
        {
            int n = Math.Min(L1KeyBytes, message.Length);
            ulong word = L1Chunk(l1Key, message[..n]);
            message = message[n..];
            if (l1Bytes < Poly64Limit)
            {
                y = Poly64Step(k64, y, word);
                l1Bytes += 8;
                continue;
            }

            // Past 2^14 words of L1 output: continue in POLY128, which starts from POLY64's result.
            y128 ??= Poly128Step(_l2Key128[iteration], BigInteger.One, y);
            if (pendingHigh is null)
            {
                pendingHigh = word;
            }
            else
            {
                y128 = Poly128Step(_l2Key128[iteration], y128.Value, ((UInt128)pendingHigh.Value << 64) | word);
                pendingHigh = null;
            }
        }

        if (y128 is null)
        {
            return y;
        }

        // M_2 || 0x80, zero-padded to 16 bytes.
        UInt128 last = pendingHigh is { } high ? ((UInt128)high << 64) | (0x80UL << 56) : (UInt128)0x80 << 120;
        BigInteger result = Poly128Step(_l2Key128[iteration], y128.Value, last);
        return (UInt128)result;
    }

    private static ulong Poly64Step(ulong k, ulong y, ulong m)
    {
        if (m >= MaxWordRange64)
        {
            y = MulAddMod64(k, y, P64 - 1);
            return MulAddMod64(k, y, m - 59);
        }

        return MulAddMod64(k, y, m);
    }

    private static ulong MulAddMod64(ulong k, ulong y, ulong m) => (ulong)((((UInt128)k * y) + m) % P64);

    private static BigInteger Poly128Step(UInt128 k, BigInteger y, UInt128 m)
    {
        BigInteger key = (BigInteger)k;
        BigInteger word = (BigInteger)m;
        if (word >= MaxWordRange128)
        {
            y = ((key * y) + (P128 - 1)) % P128;
            return ((key * y) + (word - 159)) % P128;
        }

        return ((key * y) + word) % P128;
    }

    /// <summary>L3-HASH (section 5.4): inner product of the eight 16-bit words of <paramref name="b"/> mod 2^36-5, xor key 2.</summary>
    private uint L3(UInt128 b, int iteration)
    {
        ReadOnlySpan<ulong> key = _l3Key1.AsSpan(iteration * 8, 8);
        ulong y = 0;
        for (int i = 0; i < 8; i++)
        {
            ulong m = (ulong)(b >> (112 - (16 * i))) & 0xFFFF;
            y += m * key[i];
        }

        return (uint)(y % P36) ^ _l3Key2[iteration];
    }
}
