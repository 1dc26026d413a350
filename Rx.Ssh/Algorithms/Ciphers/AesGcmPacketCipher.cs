using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Rx.Ssh.Algorithms.Ciphers;

/// <summary>
/// <c>aes128-gcm@openssh.com</c> and <c>aes256-gcm@openssh.com</c> (RFC 5647 as amended by
/// OpenSSH's PROTOCOL file): the 4-byte packet length travels in the clear as additional
/// authenticated data, the rest of the packet is encrypted, and a 16-byte tag follows.
/// </summary>
/// <remarks>
/// The 12-byte nonce is a 4-byte fixed field followed by an 8-byte big-endian invocation counter,
/// both taken from the derived IV; the counter goes up by one per packet (in each direction), so
/// the sequence number itself is not used. One instance serves one direction.
/// </remarks>
internal sealed class AesGcmPacketCipher : IPacketEncryptor, IPacketDecryptor
{
    private const int TagSize = 16;
    private const int NonceSize = 12;

    /// <summary>Catalogue entry for <c>aes128-gcm@openssh.com</c>.</summary>
    internal static readonly CipherAlgorithm Aes128Gcm = Create("aes128-gcm@openssh.com", 16);

    /// <summary>Catalogue entry for <c>aes256-gcm@openssh.com</c>.</summary>
    internal static readonly CipherAlgorithm Aes256Gcm = Create("aes256-gcm@openssh.com", 32);

    private readonly AesGcm _aes;
    private readonly byte[] _nonce = new byte[NonceSize];

    public AesGcmPacketCipher(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv)
    {
        if (key.Length is not (16 or 32))
        {
            throw new ArgumentException("AES-GCM needs a 16- or 32-byte key.", nameof(key));
        }

        if (iv.Length < NonceSize)
        {
            throw new ArgumentException("AES-GCM needs a 12-byte IV.", nameof(iv));
        }

        _aes = new AesGcm(key, TagSize);
        iv[..NonceSize].CopyTo(_nonce);
    }

    public int BlockSize => 16;

    public int MacLength => TagSize;

    public bool IsLengthExcludedFromPadding => true;

    public int LengthPrefixSize => 4;

    public uint DecryptLength(uint sequenceNumber, ReadOnlySpan<byte> prefix) => BinaryPrimitives.ReadUInt32BigEndian(prefix);

    public void Encrypt(uint sequenceNumber, Span<byte> packet, Span<byte> mac)
    {
        Span<byte> body = packet[4..];
        _aes.Encrypt(_nonce, body, body, mac[..TagSize], packet[..4]);
        IncrementInvocationCounter();
    }

    public void Decrypt(uint sequenceNumber, Span<byte> packet, ReadOnlySpan<byte> mac)
    {
        Span<byte> body = packet[4..];
        try
        {
            _aes.Decrypt(_nonce, body, mac[..TagSize], body, packet[..4]);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new SshConnectionException(DisconnectReason.MacError, "AES-GCM tag of an incoming packet does not verify.", true, e);
        }

        IncrementInvocationCounter();
    }

    public void DecryptFrom(uint sequenceNumber, ReadOnlySpan<byte> source, Span<byte> destination)
    {
        // One pass from the receive pipe to the packet buffer: no copy before decrypting.
        ReadOnlySpan<byte> lengthField = source[..4];
        try
        {
            _aes.Decrypt(_nonce, source[4..destination.Length], source.Slice(destination.Length, TagSize), destination[4..], lengthField);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new SshConnectionException(DisconnectReason.MacError, "AES-GCM tag of an incoming packet does not verify.", true, e);
        }

        lengthField.CopyTo(destination);
        IncrementInvocationCounter();
    }

    public void Dispose() => _aes.Dispose();

    private void IncrementInvocationCounter()
    {
        Span<byte> counter = _nonce.AsSpan(4, 8);
        BinaryPrimitives.WriteUInt64BigEndian(counter, unchecked(BinaryPrimitives.ReadUInt64BigEndian(counter) + 1));
    }

    private static CipherAlgorithm Create(string name, int keySize) => new(
        name,
        keySize,
        ivSize: NonceSize,
        blockSize: 16,
        isAead: true,
        (key, iv, _, _) => new AesGcmPacketCipher(key, iv),
        (key, iv, _, _) => new AesGcmPacketCipher(key, iv),
        () => AesGcm.IsSupported);
}
