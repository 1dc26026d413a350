using System.Buffers.Binary;

namespace Rx.Ssh.Algorithms.Ciphers;

/// <summary>The "none" cipher and MAC in force before the first key exchange completes.</summary>
internal sealed class NoneCipher : IPacketEncryptor, IPacketDecryptor
{
    public static readonly NoneCipher Instance = new();

    public int BlockSize => 8;

    public int MacLength => 0;

    public bool IsLengthExcludedFromPadding => false;

    public int LengthPrefixSize => 4;

    public uint DecryptLength(uint sequenceNumber, ReadOnlySpan<byte> prefix) => BinaryPrimitives.ReadUInt32BigEndian(prefix);

    public void Decrypt(uint sequenceNumber, Span<byte> packet, ReadOnlySpan<byte> mac)
    {
    }

    public void Encrypt(uint sequenceNumber, Span<byte> packet, Span<byte> mac)
    {
    }

    public void Dispose()
    {
    }
}
