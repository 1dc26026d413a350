using System.Buffers.Binary;
using System.Security.Cryptography;
using Rx.Ssh.Algorithms.Native;

namespace Rx.Ssh.Algorithms.Ciphers;

/// <summary>
/// <c>chacha20-poly1305@openssh.com</c> (OpenSSH PROTOCOL.chacha20poly1305), on libsodium.
/// </summary>
/// <remarks>
/// The 64-byte key splits into K_2 (first 32 bytes: payload and Poly1305 key) and K_1 (last 32
/// bytes: the 4-byte length). The nonce is the 64-bit big-endian sequence number. The Poly1305
/// key is the first 32 bytes of the K_2 keystream (block 0); the payload is encrypted from
/// block 1 on; the tag covers the encrypted length and the encrypted payload.
/// </remarks>
internal sealed unsafe class ChaCha20Poly1305PacketCipher : IPacketEncryptor, IPacketDecryptor
{
    private const int KeySize = 64;
    private const int TagSize = 16;
    private const int PolyKeySize = 32;

    /// <summary>Catalogue entry for <c>chacha20-poly1305@openssh.com</c>.</summary>
    internal static readonly CipherAlgorithm ChaCha20Poly1305 = new(
        "chacha20-poly1305@openssh.com",
        KeySize,
        ivSize: 0,
        blockSize: 8,
        isAead: true,
        (key, _, _, _) => new ChaCha20Poly1305PacketCipher(key),
        (key, _, _, _) => new ChaCha20Poly1305PacketCipher(key),
        () => Libsodium.IsAvailable);

    // K_2 at [0, 32), K_1 at [32, 64): the layout of the derived key itself.
    private readonly byte[] _key = GC.AllocateArray<byte>(KeySize, pinned: true);
    private bool _disposed;

    public ChaCha20Poly1305PacketCipher(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException("chacha20-poly1305@openssh.com needs a 64-byte key.", nameof(key));
        }

        Libsodium.EnsureInitialized();
        key.CopyTo(_key);
    }

    public int BlockSize => 8;

    public int MacLength => TagSize;

    public bool IsLengthExcludedFromPadding => true;

    public int LengthPrefixSize => 4;

    public uint DecryptLength(uint sequenceNumber, ReadOnlySpan<byte> prefix)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> nonce = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(nonce, sequenceNumber);
        Span<byte> length = stackalloc byte[4];
        fixed (byte* src = prefix)
        fixed (byte* dst = length)
        fixed (byte* n = nonce)
        fixed (byte* k = _key)
        {
            Libsodium.crypto_stream_chacha20_xor_ic(dst, src, 4, n, 0, k + 32);
        }

        return BinaryPrimitives.ReadUInt32BigEndian(length);
    }

    public void Encrypt(uint sequenceNumber, Span<byte> packet, Span<byte> mac)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (mac.Length < TagSize)
        {
            throw new ArgumentException("The tag buffer is too small.", nameof(mac));
        }

        Span<byte> nonce = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(nonce, sequenceNumber);
        Span<byte> polyKey = stackalloc byte[PolyKeySize];
        fixed (byte* p = packet)
        fixed (byte* t = mac)
        fixed (byte* n = nonce)
        fixed (byte* pk = polyKey)
        fixed (byte* k = _key)
        {
            Libsodium.crypto_stream_chacha20_xor_ic(p, p, 4, n, 0, k + 32);
            Libsodium.crypto_stream_chacha20_xor_ic(p + 4, p + 4, (ulong)(packet.Length - 4), n, 1, k);
            Libsodium.crypto_stream_chacha20(pk, PolyKeySize, n, k);
            Libsodium.crypto_onetimeauth_poly1305(t, p, (ulong)packet.Length, pk);
        }

        CryptographicOperations.ZeroMemory(polyKey);
    }

    public void Decrypt(uint sequenceNumber, Span<byte> packet, ReadOnlySpan<byte> mac)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (mac.Length < TagSize)
        {
            throw new SshConnectionException(DisconnectReason.MacError, "chacha20-poly1305 tag is truncated.");
        }

        Span<byte> nonce = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(nonce, sequenceNumber);
        Span<byte> polyKey = stackalloc byte[PolyKeySize];
        int verified;
        fixed (byte* p = packet)
        fixed (byte* t = mac)
        fixed (byte* n = nonce)
        fixed (byte* pk = polyKey)
        fixed (byte* k = _key)
        {
            Libsodium.crypto_stream_chacha20(pk, PolyKeySize, n, k);
            verified = Libsodium.crypto_onetimeauth_poly1305_verify(t, p, (ulong)packet.Length, pk);
            if (verified == 0)
            {
                Libsodium.crypto_stream_chacha20_xor_ic(p, p, 4, n, 0, k + 32);
                Libsodium.crypto_stream_chacha20_xor_ic(p + 4, p + 4, (ulong)(packet.Length - 4), n, 1, k);
            }
        }

        CryptographicOperations.ZeroMemory(polyKey);
        if (verified != 0)
        {
            throw new SshConnectionException(DisconnectReason.MacError, "chacha20-poly1305 tag of an incoming packet does not verify.");
        }
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            CryptographicOperations.ZeroMemory(_key);
        }
    }
}
