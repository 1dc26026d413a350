using System.Security.Cryptography;

namespace Rx.Ssh.Algorithms.Ciphers;

/// <summary>
/// A block cipher in CBC mode (RFC 4253 section 6.3) with the chain carried across packets: the
/// last ciphertext block of one call is the IV of the next, as SSH's CBC ciphers require. Uses
/// the one-shot <see cref="SymmetricAlgorithm.EncryptCbc(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte}, PaddingMode)"/>
/// in place, so nothing is allocated per packet.
/// </summary>
internal sealed class CbcTransform : IBlockTransform
{
    /// <summary>Catalogue entry for <c>aes128-cbc</c> (RFC 4253); off by default.</summary>
    internal static readonly CipherAlgorithm Aes128Cbc = Entry("aes128-cbc", 16, 16, Aes.Create);

    /// <summary>Catalogue entry for <c>aes192-cbc</c> (RFC 4253); off by default.</summary>
    internal static readonly CipherAlgorithm Aes192Cbc = Entry("aes192-cbc", 24, 16, Aes.Create);

    /// <summary>Catalogue entry for <c>aes256-cbc</c> (RFC 4253); off by default.</summary>
    internal static readonly CipherAlgorithm Aes256Cbc = Entry("aes256-cbc", 32, 16, Aes.Create);

    /// <summary>Catalogue entry for <c>3des-cbc</c> (RFC 4253: three-key EDE); off by default.</summary>
    internal static readonly CipherAlgorithm TripleDesCbc = Entry("3des-cbc", 24, 8, TripleDES.Create);

    private readonly SymmetricAlgorithm _cipher;
    private readonly bool _encrypt;
    private readonly byte[] _iv;
    private readonly byte[] _nextIv;

    public CbcTransform(SymmetricAlgorithm cipher, ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, bool encrypt)
    {
        int block = cipher.BlockSize / 8;
        if (iv.Length < block)
        {
            cipher.Dispose();
            throw new ArgumentException($"CBC needs a {block}-byte IV.", nameof(iv));
        }

        byte[] keyCopy = key.ToArray();
        try
        {
            cipher.Key = keyCopy;
        }
        catch
        {
            cipher.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyCopy);
        }

        _cipher = cipher;
        _encrypt = encrypt;
        _iv = iv[..block].ToArray();
        _nextIv = new byte[block];
    }

    public int BlockSize => _iv.Length;

    public void Transform(Span<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        if (data.Length % _iv.Length != 0)
        {
            throw new ArgumentException("CBC data must be a whole number of blocks.", nameof(data));
        }

        Span<byte> last = data[^_iv.Length..];
        if (_encrypt)
        {
            _cipher.EncryptCbc(data, _iv, data, PaddingMode.None);
            last.CopyTo(_iv);
        }
        else
        {
            last.CopyTo(_nextIv);
            _cipher.DecryptCbc(data, _iv, data, PaddingMode.None);
            _nextIv.CopyTo(_iv, 0);
        }
    }

    public void Dispose()
    {
        _cipher.Dispose();
        CryptographicOperations.ZeroMemory(_iv);
        CryptographicOperations.ZeroMemory(_nextIv);
    }

    private static CipherAlgorithm Entry(string name, int keySize, int blockSize, Func<SymmetricAlgorithm> create) => new(
        name,
        keySize,
        ivSize: blockSize,
        blockSize: blockSize,
        isAead: false,
        (key, iv, mac, macKey) => CipherMacEncryptor.Create(new CbcTransform(create(), key, iv, encrypt: true), mac, macKey),
        (key, iv, mac, macKey) => CipherMacDecryptor.Create(new CbcTransform(create(), key, iv, encrypt: false), mac, macKey));
}
