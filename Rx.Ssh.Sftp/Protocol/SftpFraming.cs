using System.Buffers;
using System.Buffers.Binary;

namespace Rx.Ssh.Sftp.Protocol;

/// <summary>
/// SFTP framing (draft-ietf-secsh-filexfer-02 section 3): each packet is <c>uint32 length</c>
/// followed by that many bytes, the first of which is the type. A length of zero or above the
/// agreed maximum is a protocol error (thrown before anything of that size is buffered).
/// </summary>
internal static class SftpFraming
{
    /// <summary>The size of the length field.</summary>
    public const int LengthFieldSize = 4;

    /// <summary>The largest data payload of one READ or WRITE by default: 255 KiB, what OpenSSH's sftp-server accepts.</summary>
    public const int DefaultMaxDataLength = 255 * 1024;

    /// <summary>
    /// The default largest packet length: 256 KiB, OpenSSH's <c>SFTP_MAX_MSG_LENGTH</c> (room for
    /// a 255 KiB data payload plus the request's header).
    /// </summary>
    public const int DefaultMaxPacketLength = 256 * 1024;

    /// <summary>
    /// Takes one whole packet (type and body, without the length field) off the front of
    /// <paramref name="buffer"/> when it holds one.
    /// </summary>
    /// <param name="buffer">The bytes received; advanced past the packet when one is returned.</param>
    /// <param name="maxPacketLength">The largest length accepted.</param>
    /// <param name="packet">The packet: type byte then body.</param>
    /// <returns>Whether a whole packet was there.</returns>
    /// <exception cref="SftpProtocolException">The length is zero or above <paramref name="maxPacketLength"/>.</exception>
    public static bool TryReadPacket(ref ReadOnlySequence<byte> buffer, int maxPacketLength, out ReadOnlySequence<byte> packet)
    {
        packet = default;
        if (buffer.Length < LengthFieldSize)
        {
            return false;
        }

        Span<byte> lengthBytes = stackalloc byte[LengthFieldSize];
        buffer.Slice(0, LengthFieldSize).CopyTo(lengthBytes);
        uint length = BinaryPrimitives.ReadUInt32BigEndian(lengthBytes);
        CheckLength(length, maxPacketLength);
        if (buffer.Length - LengthFieldSize < length)
        {
            return false;
        }

        packet = buffer.Slice(LengthFieldSize, length);
        buffer = buffer.Slice(packet.End);
        return true;
    }

    /// <summary>Checks a packet length field.</summary>
    /// <param name="length">The length read.</param>
    /// <param name="maxPacketLength">The largest accepted.</param>
    /// <exception cref="SftpProtocolException">Zero or too large.</exception>
    public static void CheckLength(uint length, int maxPacketLength)
    {
        if (length == 0)
        {
            throw new SftpProtocolException("SFTP packet of length 0 (no type byte)");
        }

        if (length > (uint)maxPacketLength)
        {
            throw new SftpProtocolException($"SFTP packet of {length} bytes exceeds the maximum of {maxPacketLength}");
        }
    }
}
