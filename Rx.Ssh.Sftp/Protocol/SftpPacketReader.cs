using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Rx.Ssh.Sftp.Protocol;

/// <summary>
/// Reads the fields of one SFTP packet body (big-endian integers, length-prefixed strings) from a
/// span. Every length is checked against what is left before it is used: a lying length, a
/// truncated field or invalid UTF-8 throws <see cref="SftpProtocolException"/>, never reads out
/// of range and never allocates from an untrusted size. <see cref="ReadEnd"/> rejects trailing bytes.
/// </summary>
internal ref struct SftpPacketReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    /// <summary>Creates a reader over <paramref name="data"/>.</summary>
    /// <param name="data">The bytes to read.</param>
    public SftpPacketReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>Bytes not yet read.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>Reads one byte.</summary>
    /// <returns>The byte.</returns>
    public byte ReadByte()
    {
        Need(1, "byte");
        return _data[_position++];
    }

    /// <summary>Reads a big-endian <c>uint32</c>.</summary>
    /// <returns>The value.</returns>
    public uint ReadUInt32()
    {
        Need(4, "uint32");
        uint value = BinaryPrimitives.ReadUInt32BigEndian(_data[_position..]);
        _position += 4;
        return value;
    }

    /// <summary>Reads a big-endian <c>uint64</c>.</summary>
    /// <returns>The value.</returns>
    public ulong ReadUInt64()
    {
        Need(8, "uint64");
        ulong value = BinaryPrimitives.ReadUInt64BigEndian(_data[_position..]);
        _position += 8;
        return value;
    }

    /// <summary>Reads a <c>string</c> as raw bytes (a view into the packet, valid as long as it is).</summary>
    /// <returns>The bytes.</returns>
    public ReadOnlySpan<byte> ReadBytes()
    {
        uint length = ReadUInt32();
        if (length > (uint)Remaining)
        {
            Fail($"string of {length} bytes with {Remaining} left");
        }

        ReadOnlySpan<byte> value = _data.Slice(_position, (int)length);
        _position += (int)length;
        return value;
    }

    /// <summary>Reads a <c>string</c> as raw bytes with at most <paramref name="maxLength"/> bytes.</summary>
    /// <param name="maxLength">The largest length accepted.</param>
    /// <param name="what">The field's name for the error.</param>
    /// <returns>The bytes.</returns>
    public ReadOnlySpan<byte> ReadBytes(int maxLength, string what)
    {
        ReadOnlySpan<byte> value = ReadBytes();
        if (value.Length > maxLength)
        {
            Fail($"{what} of {value.Length} bytes (at most {maxLength})");
        }

        return value;
    }

    /// <summary>Reads a <c>string</c> as strict UTF-8 text.</summary>
    /// <returns>The text.</returns>
    public string ReadString()
    {
        ReadOnlySpan<byte> bytes = ReadBytes();
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new SftpProtocolException("SFTP string is not valid UTF-8", e);
        }
    }

    /// <summary>Reads a path: strict UTF-8 text without NUL characters.</summary>
    /// <returns>The path.</returns>
    public string ReadPath()
    {
        string path = ReadString();
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            Fail("path containing NUL");
        }

        return path;
    }

    /// <summary>Checks every byte was read.</summary>
    public readonly void ReadEnd()
    {
        if (Remaining != 0)
        {
            Fail($"{Remaining} trailing bytes");
        }
    }

    /// <summary>Throws the format error.</summary>
    /// <param name="what">What was wrong.</param>
    [DoesNotReturn]
    public static void Fail(string what) => throw new SftpProtocolException("Malformed SFTP packet: " + what);

    private readonly void Need(int count, string what)
    {
        if (Remaining < count)
        {
            Fail($"truncated {what} ({Remaining} bytes left)");
        }
    }
}
