using Rx.Ssh.Algorithms.Macs;

namespace Rx.Ssh.Algorithms.Ciphers;

/// <summary>
/// Packet encryptor for a non-AEAD cipher plus a separate MAC, in either arrangement:
/// encrypt-and-MAC (RFC 4253 section 6.4: MAC over <c>seq || plaintext packet</c>, whole packet
/// encrypted) or encrypt-then-MAC (<c>-etm@openssh.com</c>: length in the clear, MAC over
/// <c>seq || clear length || ciphertext</c>).
/// </summary>
internal sealed class CipherMacEncryptor : IPacketEncryptor
{
    private readonly IBlockTransform _cipher;
    private readonly IMac _mac;
    private readonly bool _encryptThenMac;

    public CipherMacEncryptor(IBlockTransform cipher, IMac mac, bool encryptThenMac)
    {
        _cipher = cipher;
        _mac = mac;
        _encryptThenMac = encryptThenMac;
    }

    public int BlockSize => Math.Max(8, _cipher.BlockSize);

    public int MacLength => _mac.Length;

    public bool IsLengthExcludedFromPadding => _encryptThenMac;

    public void Encrypt(uint sequenceNumber, Span<byte> packet, Span<byte> mac)
    {
        if (_encryptThenMac)
        {
            _cipher.Transform(packet[4..]);
            _mac.Compute(sequenceNumber, packet, mac);
        }
        else
        {
            _mac.Compute(sequenceNumber, packet, mac);
            _cipher.Transform(packet);
        }
    }

    public void Dispose()
    {
        _cipher.Dispose();
        _mac.Dispose();
    }

    /// <summary>Factory shape of <see cref="CipherAlgorithm"/> for a cipher that needs a negotiated MAC.</summary>
    internal static IPacketEncryptor Create(IBlockTransform cipher, MacAlgorithm? mac, byte[]? macKey)
    {
        (MacAlgorithm algorithm, byte[] key) = CipherMacDecryptor.RequireMac(cipher, mac, macKey);
        return new CipherMacEncryptor(cipher, algorithm.Create(key), algorithm.IsEncryptThenMac);
    }
}
