using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Rx.Ssh.Keys.Formats;

/// <summary>
/// The ciphers OpenSSH may use to encrypt the private section of an <c>openssh-key-v1</c> file:
/// <c>none</c> and AES in CTR, CBC (no padding; the plaintext is already padded) and
/// GCM (<c>@openssh.com</c>, 16-byte tag after the ciphertext, no associated data).
/// </summary>
internal sealed class KeyFileCipher
{
    private enum Mode
    {
        None,
        Ctr,
        Cbc,
        Gcm,
    }

    public static readonly KeyFileCipher None = new("none", Mode.None, 0, 0, 8, 0);

    /// <summary>The cipher files written with a passphrase use.</summary>
    public static readonly KeyFileCipher Aes256Ctr = new("aes256-ctr", Mode.Ctr, 32, 16, 16, 0);

    private static readonly KeyFileCipher[] All =
    [
        None,
        new("aes128-ctr", Mode.Ctr, 16, 16, 16, 0),
        new("aes192-ctr", Mode.Ctr, 24, 16, 16, 0),
        Aes256Ctr,
        new("aes128-cbc", Mode.Cbc, 16, 16, 16, 0),
        new("aes192-cbc", Mode.Cbc, 24, 16, 16, 0),
        new("aes256-cbc", Mode.Cbc, 32, 16, 16, 0),
        new("aes128-gcm@openssh.com", Mode.Gcm, 16, 12, 16, 16),
        new("aes256-gcm@openssh.com", Mode.Gcm, 32, 12, 16, 16),
    ];

    private readonly Mode _mode;

    private KeyFileCipher(string name, Mode mode, int keyLength, int ivLength, int blockSize, int tagLength)
    {
        Name = name;
        _mode = mode;
        KeyLength = keyLength;
        IvLength = ivLength;
        BlockSize = blockSize;
        TagLength = tagLength;
    }

    public string Name { get; }

    public int KeyLength { get; }

    public int IvLength { get; }

    /// <summary>The private section is padded to a multiple of this.</summary>
    public int BlockSize { get; }

    /// <summary>Bytes of authentication tag stored after the ciphertext (GCM only).</summary>
    public int TagLength { get; }

    public static KeyFileCipher? Find(string name) => Array.Find(All, c => c.Name == name);

    /// <summary>
    /// Decrypts <paramref name="input"/> into <paramref name="output"/> (same length). Returns false
    /// when a GCM tag does not match, which for a key file means a wrong passphrase.
    /// </summary>
    public bool TryDecrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, ReadOnlySpan<byte> tag, Span<byte> output)
    {
        switch (_mode)
        {
            case Mode.None:
                input.CopyTo(output);
                return true;
            case Mode.Ctr:
                CtrTransform(key, iv, input, output);
                return true;
            case Mode.Cbc:
                using (var aes = Aes.Create())
                {
                    aes.SetKey(key);
                    aes.DecryptCbc(input, iv, output, PaddingMode.None);
                }

                return true;
            default:
                using (var gcm = new AesGcm(key, TagLength))
                {
                    try
                    {
                        gcm.Decrypt(iv, input, tag, output);
                        return true;
                    }
                    catch (AuthenticationTagMismatchException)
                    {
                        return false;
                    }
                }
        }
    }

    /// <summary>Encrypts <paramref name="input"/> into <paramref name="output"/>, writing a tag for GCM.</summary>
    public void Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output, Span<byte> tag)
    {
        switch (_mode)
        {
            case Mode.None:
                input.CopyTo(output);
                break;
            case Mode.Ctr:
                CtrTransform(key, iv, input, output);
                break;
            case Mode.Cbc:
                using (var aes = Aes.Create())
                {
                    aes.SetKey(key);
                    aes.EncryptCbc(input, iv, output, PaddingMode.None);
                }

                break;
            default:
                using (var gcm = new AesGcm(key, TagLength))
                {
                    gcm.Encrypt(iv, input, output, tag);
                }

                break;
        }
    }

    /// <summary>AES-CTR with a 128-bit big-endian counter starting at <paramref name="iv"/>.</summary>
    private static void CtrTransform(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        int blocks = (input.Length + 15) / 16;
        byte[] counters = new byte[blocks * 16];
        byte[] stream = new byte[blocks * 16];
        try
        {
            UInt128 counter = BinaryPrimitives.ReadUInt128BigEndian(iv);
            for (int i = 0; i < blocks; i++)
            {
                BinaryPrimitives.WriteUInt128BigEndian(counters.AsSpan(i * 16), counter++);
            }

            using (var aes = Aes.Create())
            {
                aes.SetKey(key);
                aes.EncryptEcb(counters, stream, PaddingMode.None);
            }

            for (int i = 0; i < input.Length; i++)
            {
                output[i] = (byte)(input[i] ^ stream[i]);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(stream);
        }
    }
}
