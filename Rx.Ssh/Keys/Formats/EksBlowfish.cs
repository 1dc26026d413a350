using System.Buffers.Binary;

namespace Rx.Ssh.Keys.Formats;

/// <summary>
/// Blowfish with the "expensive key schedule" operations bcrypt needs (Provos and Mazières,
/// "A Future-Adaptable Password Scheme"): start from pi's digits, then repeatedly mix key and salt
/// into the P-array and S-boxes. Only what <see cref="BcryptPbkdf"/> uses is here.
/// </summary>
internal sealed class EksBlowfish
{
    private const int Rounds = 16;
    private readonly uint[] _p = new uint[Rounds + 2];
    private readonly uint[] _s = new uint[4 * 256];

    public EksBlowfish() => Reset();

    /// <summary>Loads the initial state (pi's digits).</summary>
    public void Reset()
    {
        ReadOnlySpan<uint> words = BlowfishPiDigits.Words;
        words[..(Rounds + 2)].CopyTo(_p);
        words[(Rounds + 2)..].CopyTo(_s);
    }

    /// <summary>
    /// The salted key schedule: XOR the key cyclically into P, then re-encrypt P and the S-boxes,
    /// XORing successive salt words into the running block before each encryption.
    /// </summary>
    public void ExpandState(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> key)
    {
        int position = 0;
        for (int i = 0; i < _p.Length; i++)
        {
            _p[i] ^= NextWord(key, ref position);
        }

        position = 0;
        uint left = 0;
        uint right = 0;
        for (int i = 0; i < _p.Length; i += 2)
        {
            left ^= NextWord(salt, ref position);
            right ^= NextWord(salt, ref position);
            Encipher(ref left, ref right);
            _p[i] = left;
            _p[i + 1] = right;
        }

        for (int i = 0; i < _s.Length; i += 2)
        {
            left ^= NextWord(salt, ref position);
            right ^= NextWord(salt, ref position);
            Encipher(ref left, ref right);
            _s[i] = left;
            _s[i + 1] = right;
        }
    }

    /// <summary>The unsalted key schedule: as the salted schedule with an all-zero salt.</summary>
    public void ExpandState(ReadOnlySpan<byte> key)
    {
        int position = 0;
        for (int i = 0; i < _p.Length; i++)
        {
            _p[i] ^= NextWord(key, ref position);
        }

        uint left = 0;
        uint right = 0;
        for (int i = 0; i < _p.Length; i += 2)
        {
            Encipher(ref left, ref right);
            _p[i] = left;
            _p[i + 1] = right;
        }

        for (int i = 0; i < _s.Length; i += 2)
        {
            Encipher(ref left, ref right);
            _s[i] = left;
            _s[i + 1] = right;
        }
    }

    /// <summary>Encrypts consecutive 64-bit blocks held as pairs of words, in place (ECB).</summary>
    public void EncryptBlocks(Span<uint> words)
    {
        for (int i = 0; i + 1 < words.Length; i += 2)
        {
            Encipher(ref words[i], ref words[i + 1]);
        }
    }

    /// <summary>Clears the key-dependent state.</summary>
    public void Clear()
    {
        Array.Clear(_p);
        Array.Clear(_s);
    }

    /// <summary>Reads the next big-endian word from <paramref name="data"/>, wrapping around at its end.</summary>
    internal static uint NextWord(ReadOnlySpan<byte> data, ref int position)
    {
        uint word = 0;
        for (int i = 0; i < 4; i++)
        {
            if (position >= data.Length)
            {
                position = 0;
            }

            word = (word << 8) | data[position++];
        }

        return word;
    }

    private void Encipher(ref uint left, ref uint right)
    {
        uint[] p = _p;
        uint[] s = _s;
        uint l = left;
        uint r = right;
        l ^= p[0];
        for (int i = 1; i <= Rounds; i += 2)
        {
            r ^= F(s, l) ^ p[i];
            l ^= F(s, r) ^ p[i + 1];
        }

        r ^= p[Rounds + 1];
        left = r;
        right = l;
    }

    private static uint F(uint[] s, uint x) =>
        ((s[(int)(x >> 24)] + s[256 + (int)((x >> 16) & 0xff)]) ^ s[512 + (int)((x >> 8) & 0xff)]) + s[768 + (int)(x & 0xff)];

    /// <summary>Big-endian words of <paramref name="bytes"/> (length a multiple of 4).</summary>
    internal static void ToWords(ReadOnlySpan<byte> bytes, Span<uint> words)
    {
        for (int i = 0; i < words.Length; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt32BigEndian(bytes[(4 * i)..]);
        }
    }
}
