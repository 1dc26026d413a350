using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Text;

namespace Rx.Ssh.Wire;

/// <summary>
/// Reads the SSH data types of RFC 4251 section 5 from a span. Every length is checked
/// against what is left before it is used: a lying length throws <see cref="SshFormatException"/>,
/// never reads out of range and never allocates from an untrusted size.
/// </summary>
internal ref struct SshReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    /// <summary>Creates a reader over <paramref name="data"/>.</summary>
    public SshReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>Bytes not yet read.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>Number of bytes read so far.</summary>
    public readonly int Position => _position;

    /// <summary>The bytes not yet read.</summary>
    public readonly ReadOnlySpan<byte> RemainingSpan => _data[_position..];

    /// <summary>Reads one byte.</summary>
    public byte ReadByte()
    {
        Need(1);
        return _data[_position++];
    }

    /// <summary>Reads a <c>boolean</c> (any non-zero byte is true).</summary>
    public bool ReadBoolean() => ReadByte() != 0;

    /// <summary>Reads a big-endian <c>uint32</c>.</summary>
    public uint ReadUInt32()
    {
        Need(4);
        uint value = BinaryPrimitives.ReadUInt32BigEndian(_data[_position..]);
        _position += 4;
        return value;
    }

    /// <summary>Reads a big-endian <c>uint64</c>.</summary>
    public ulong ReadUInt64()
    {
        Need(8);
        ulong value = BinaryPrimitives.ReadUInt64BigEndian(_data[_position..]);
        _position += 8;
        return value;
    }

    /// <summary>Reads <paramref name="count"/> raw bytes.</summary>
    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0)
        {
            ThrowFormat("negative length");
        }

        Need(count);
        ReadOnlySpan<byte> value = _data.Slice(_position, count);
        _position += count;
        return value;
    }

    /// <summary>Reads a <c>string</c> (uint32 length, then that many bytes).</summary>
    public ReadOnlySpan<byte> ReadString()
    {
        uint length = ReadUInt32();
        if (length > (uint)Remaining)
        {
            ThrowFormat($"string length {length} exceeds the {Remaining} bytes left");
        }

        return ReadBytes((int)length);
    }

    /// <summary>Reads a <c>string</c> and decodes it as UTF-8 (invalid UTF-8 is an error).</summary>
    public string ReadUtf8String()
    {
        ReadOnlySpan<byte> bytes = ReadString();
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            ThrowFormat("string is not valid UTF-8");
            return null;
        }
    }

    /// <summary>Reads a <c>string</c> that must be printable US-ASCII (algorithm names, types).</summary>
    public string ReadAsciiString()
    {
        ReadOnlySpan<byte> bytes = ReadString();
        foreach (byte b in bytes)
        {
            if (b is < 0x20 or > 0x7e)
            {
                ThrowFormat("string contains a byte outside printable US-ASCII");
            }
        }

        return Encoding.ASCII.GetString(bytes);
    }

    /// <summary>Reads a <c>name-list</c> (comma-separated US-ASCII names).</summary>
    public string[] ReadNameList()
    {
        string list = ReadAsciiString();
        if (list.Length == 0)
        {
            return [];
        }

        string[] names = list.Split(',');
        foreach (string name in names)
        {
            if (name.Length == 0)
            {
                ThrowFormat("name-list contains an empty name");
            }
        }

        return names;
    }

    /// <summary>Reads an <c>mpint</c> and returns its two's-complement big-endian bytes as sent.</summary>
    public ReadOnlySpan<byte> ReadMPIntBytes()
    {
        ReadOnlySpan<byte> bytes = ReadString();
        if (bytes.Length > 1 && ((bytes[0] == 0 && bytes[1] < 0x80) || (bytes[0] == 0xff && bytes[1] >= 0x80)))
        {
            ThrowFormat("mpint has unnecessary leading bytes");
        }

        return bytes;
    }

    /// <summary>
    /// Reads a non-negative <c>mpint</c> and returns its magnitude as unsigned big-endian bytes
    /// without leading zeros.
    /// </summary>
    public ReadOnlySpan<byte> ReadUnsignedMPInt()
    {
        ReadOnlySpan<byte> bytes = ReadMPIntBytes();
        if (bytes.Length > 0 && bytes[0] >= 0x80)
        {
            ThrowFormat("mpint is negative where a positive number is required");
        }

        return bytes.Length > 0 && bytes[0] == 0 ? bytes[1..] : bytes;
    }

    /// <summary>Reads an <c>mpint</c> as a <see cref="BigInteger"/>.</summary>
    public BigInteger ReadBigInteger() => new(ReadMPIntBytes(), isUnsigned: false, isBigEndian: true);

    /// <summary>Throws unless every byte has been read (trailing bytes are a protocol error).</summary>
    public readonly void ReadEnd()
    {
        if (Remaining != 0)
        {
            ThrowFormat($"{Remaining} unexpected trailing bytes");
        }
    }

    /// <summary>Skips <paramref name="count"/> bytes.</summary>
    public void Skip(int count) => ReadBytes(count);

    private readonly void Need(int count)
    {
        if (count > Remaining)
        {
            ThrowFormat($"needed {count} bytes but only {Remaining} are left");
        }
    }

    [DoesNotReturn]
    private static void ThrowFormat(string message) => throw new SshFormatException(message);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
