using Rx.Ssh.Algorithms.Macs;

namespace Rx.Ssh.Algorithms.Ciphers;

/// <summary>
/// Catalogue entry for one cipher name: sizes and factories. AEAD ciphers (GCM, ChaCha20-Poly1305)
/// carry their own tag and ignore the negotiated MAC.
/// </summary>
internal sealed class CipherAlgorithm
{
    public CipherAlgorithm(
        string name,
        int keySize,
        int ivSize,
        int blockSize,
        bool isAead,
        Func<byte[], byte[], MacAlgorithm?, byte[]?, IPacketEncryptor> createEncryptor,
        Func<byte[], byte[], MacAlgorithm?, byte[]?, IPacketDecryptor> createDecryptor,
        Func<bool>? isAvailable = null)
    {
        Name = name;
        KeySize = keySize;
        IvSize = ivSize;
        BlockSize = blockSize;
        IsAead = isAead;
        _createEncryptor = createEncryptor;
        _createDecryptor = createDecryptor;
        _isAvailable = isAvailable;
    }

    private readonly Func<byte[], byte[], MacAlgorithm?, byte[]?, IPacketEncryptor> _createEncryptor;
    private readonly Func<byte[], byte[], MacAlgorithm?, byte[]?, IPacketDecryptor> _createDecryptor;
    private readonly Func<bool>? _isAvailable;

    public string Name { get; }

    public int KeySize { get; }

    public int IvSize { get; }

    public int BlockSize { get; }

    /// <summary>True when the cipher authenticates packets itself (no separate MAC is negotiated into use).</summary>
    public bool IsAead { get; }

    public bool IsAvailable => _isAvailable?.Invoke() ?? true;

    public IPacketEncryptor CreateEncryptor(byte[] key, byte[] iv, MacAlgorithm? mac, byte[]? macKey) => _createEncryptor(key, iv, mac, macKey);

    public IPacketDecryptor CreateDecryptor(byte[] key, byte[] iv, MacAlgorithm? mac, byte[]? macKey) => _createDecryptor(key, iv, mac, macKey);
}
