using System.Buffers.Binary;
using System.Security.Cryptography;
using Rx.Ssh.Algorithms.Macs;

namespace Rx.Ssh.Algorithms.Ciphers;

/// <summary>
/// Packet decryptor for a non-AEAD cipher plus a separate MAC (see <see cref="CipherMacEncryptor"/>).
/// </summary>
/// <remarks>
/// Encrypt-and-MAC: the length is encrypted, so <see cref="DecryptLength"/> decrypts the first
/// cipher block once and keeps it; <see cref="Decrypt"/> reuses it, decrypts the rest and then
/// checks the MAC over the plaintext. Encrypt-then-MAC: the length is in the clear and the MAC
/// over the ciphertext is checked before anything is decrypted. MACs are compared in constant time.
/// </remarks>
internal sealed class CipherMacDecryptor : IPacketDecryptor
{
    private const int MaxMacLength = 64;

    private readonly IBlockTransform _cipher;
    private readonly IMac _mac;
    private readonly bool _encryptThenMac;
    private readonly byte[] _firstBlock;
    private bool _firstBlockPending;
    private uint _firstBlockSequenceNumber;

    public CipherMacDecryptor(IBlockTransform cipher, IMac mac, bool encryptThenMac)
    {
        if (mac.Length > MaxMacLength)
        {
            throw new ArgumentException("MACs longer than 64 bytes are not supported.", nameof(mac));
        }

        _cipher = cipher;
        _mac = mac;
        _encryptThenMac = encryptThenMac;
        _firstBlock = new byte[Math.Max(4, cipher.BlockSize)];
    }

    public int BlockSize => Math.Max(8, _cipher.BlockSize);

    public int MacLength => _mac.Length;

    public bool IsLengthExcludedFromPadding => _encryptThenMac;

    public int LengthPrefixSize => _encryptThenMac ? 4 : _firstBlock.Length;

    /// <remarks>
    /// For encrypt-and-MAC this advances the cipher by one block; asking again for the same
    /// sequence number returns the kept answer without advancing it twice.
    /// </remarks>
    public uint DecryptLength(uint sequenceNumber, ReadOnlySpan<byte> prefix)
    {
        if (_encryptThenMac)
        {
            return BinaryPrimitives.ReadUInt32BigEndian(prefix);
        }

        if (!_firstBlockPending || _firstBlockSequenceNumber != sequenceNumber)
        {
            if (_firstBlockPending)
            {
                throw new InvalidOperationException("DecryptLength was called for a new packet before the previous one was decrypted.");
            }

            prefix[.._firstBlock.Length].CopyTo(_firstBlock);
            _cipher.Transform(_firstBlock);
            _firstBlockPending = true;
            _firstBlockSequenceNumber = sequenceNumber;
        }

        return BinaryPrimitives.ReadUInt32BigEndian(_firstBlock);
    }

    public void Decrypt(uint sequenceNumber, Span<byte> packet, ReadOnlySpan<byte> mac)
    {
        if (mac.Length < _mac.Length)
        {
            throw new SshConnectionException(DisconnectReason.MacError, "The MAC of an incoming packet is truncated.");
        }

        if (_encryptThenMac)
        {
            Verify(sequenceNumber, packet, mac);
            _cipher.Transform(packet[4..]);
            return;
        }

        if (_firstBlockPending)
        {
            _firstBlockPending = false;
            _firstBlock.CopyTo(packet);
            _cipher.Transform(packet[_firstBlock.Length..]);
        }
        else
        {
            _cipher.Transform(packet);
        }

        Verify(sequenceNumber, packet, mac);
    }

    public void Dispose()
    {
        _cipher.Dispose();
        _mac.Dispose();
        CryptographicOperations.ZeroMemory(_firstBlock);
    }

    /// <summary>Factory shape of <see cref="CipherAlgorithm"/> for a cipher that needs a negotiated MAC.</summary>
    internal static IPacketDecryptor Create(IBlockTransform cipher, MacAlgorithm? mac, byte[]? macKey)
    {
        (MacAlgorithm algorithm, byte[] key) = RequireMac(cipher, mac, macKey);
        return new CipherMacDecryptor(cipher, algorithm.Create(key), algorithm.IsEncryptThenMac);
    }

    internal static (MacAlgorithm Mac, byte[] Key) RequireMac(IBlockTransform cipher, MacAlgorithm? mac, byte[]? macKey)
    {
        if (mac is null || macKey is null)
        {
            cipher.Dispose();
            throw new ArgumentException("A non-AEAD cipher needs a negotiated MAC and its key.", nameof(mac));
        }

        return (mac, macKey);
    }

    private void Verify(uint sequenceNumber, ReadOnlySpan<byte> packet, ReadOnlySpan<byte> mac)
    {
        Span<byte> expected = stackalloc byte[MaxMacLength];
        expected = expected[.._mac.Length];
        _mac.Compute(sequenceNumber, packet, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, mac[.._mac.Length]))
        {
            throw new SshConnectionException(DisconnectReason.MacError, "The MAC of an incoming packet does not verify.");
        }
    }
}
