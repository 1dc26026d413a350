using System.Security.Cryptography;

namespace Rx.Ssh.Algorithms.Ciphers;

/// <summary>
/// A block cipher in CBC mode (RFC 4253 section 6.3) with the chain carried across packets: the
/// last ciphertext block of one call is the IV of the next, as SSH's CBC ciphers require. One
/// <see cref="ICryptoTransform"/> per direction keeps that chain itself; data goes through a
/// scratch array that grows to the largest packet, so nothing is allocated per packet.
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

    private const int MaxScratch = 512 * 1024;

    private readonly SymmetricAlgorithm _cipher;
    private readonly ICryptoTransform _transform;
    private readonly int _blockSize;
    private byte[] _scratch = new byte[4096];

    public CbcTransform(SymmetricAlgorithm cipher, ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, bool encrypt)
    {
        int block = cipher.BlockSize / 8;
        if (iv.Length < block)
        {
            cipher.Dispose();
            throw new ArgumentException($"CBC needs a {block}-byte IV.", nameof(iv));
        }

        byte[] keyCopy = key.ToArray();
        byte[] ivCopy = iv[..block].ToArray();
        try
        {
            cipher.Mode = CipherMode.CBC;
            cipher.Padding = PaddingMode.None;
            _transform = encrypt ? cipher.CreateEncryptor(keyCopy, ivCopy) : cipher.CreateDecryptor(keyCopy, ivCopy);
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
        _blockSize = block;
    }

    public int BlockSize => _blockSize;

    public void Transform(Span<byte> data)
    {
        if (data.Length % _blockSize != 0)
        {
            throw new ArgumentException("CBC data must be a whole number of blocks.", nameof(data));
        }

        while (!data.IsEmpty)
        {
            if (_scratch.Length < data.Length && _scratch.Length < MaxScratch)
            {
                _scratch = new byte[Math.Min(MaxScratch, Math.Max(data.Length, _scratch.Length * 2))];
            }

            int n = Math.Min(data.Length, _scratch.Length);
            data[..n].CopyTo(_scratch);
            _transform.TransformBlock(_scratch, 0, n, _scratch, 0);
            _scratch.AsSpan(0, n).CopyTo(data);
            data = data[n..];
        }
    }

    public void Dispose()
    {
        _transform.Dispose();
        _cipher.Dispose();
        CryptographicOperations.ZeroMemory(_scratch);
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
