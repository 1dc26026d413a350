using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Rx.Ssh.Wire;

/// <summary>
/// Writes the SSH data types of RFC 4251 section 5 into an <see cref="IBufferWriter{T}"/>.
/// </summary>
internal readonly ref struct SshWriter
{
    private readonly IBufferWriter<byte> _output;

    /// <summary>Creates a writer appending to <paramref name="output"/>.</summary>
    public SshWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>Writes one byte.</summary>
    public void WriteByte(byte value)
    {
        _output.GetSpan(1)[0] = value;
        _output.Advance(1);
    }

    /// <summary>Writes a <c>boolean</c>.</summary>
    public void WriteBoolean(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    /// <summary>Writes a big-endian <c>uint32</c>.</summary>
    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_output.GetSpan(4), value);
        _output.Advance(4);
    }

    /// <summary>Writes a big-endian <c>uint64</c>.</summary>
    public void WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_output.GetSpan(8), value);
        _output.Advance(8);
    }

    /// <summary>Writes bytes with no length prefix.</summary>
    public void WriteRaw(ReadOnlySpan<byte> value) => _output.Write(value);

    /// <summary>Writes a <c>string</c> (uint32 length, then the bytes).</summary>
    public void WriteString(ReadOnlySpan<byte> value)
    {
        WriteUInt32((uint)value.Length);
        _output.Write(value);
    }

    /// <summary>Writes a <c>string</c> holding the UTF-8 encoding of <paramref name="value"/>.</summary>
    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int length = Encoding.UTF8.GetByteCount(value);
        WriteUInt32((uint)length);
        Span<byte> span = _output.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        _output.Advance(length);
    }

    /// <summary>Writes a <c>name-list</c>.</summary>
    public void WriteNameList(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        WriteString(string.Join(',', names));
    }

    /// <summary>Writes a non-negative <c>mpint</c> from unsigned big-endian magnitude bytes.</summary>
    public void WriteMPInt(ReadOnlySpan<byte> unsignedBigEndian)
    {
        int start = 0;
        while (start < unsignedBigEndian.Length && unsignedBigEndian[start] == 0)
        {
            start++;
        }

        ReadOnlySpan<byte> magnitude = unsignedBigEndian[start..];
        bool pad = magnitude.Length > 0 && magnitude[0] >= 0x80;
        WriteUInt32((uint)(magnitude.Length + (pad ? 1 : 0)));
        if (pad)
        {
            WriteByte(0);
        }

        _output.Write(magnitude);
    }

    /// <summary>Writes an <c>mpint</c> from a <see cref="BigInteger"/>.</summary>
    public void WriteMPInt(BigInteger value)
    {
        if (value.IsZero)
        {
            WriteUInt32(0);
            return;
        }

        int length = value.GetByteCount(isUnsigned: false);
        WriteUInt32((uint)length);
        Span<byte> span = _output.GetSpan(length);
        value.TryWriteBytes(span, out int written, isUnsigned: false, isBigEndian: true);
        _output.Advance(written);
    }
}
