using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Rx.Ssh.Sftp.Protocol;

/// <summary>
/// Builds one framed SFTP packet (uint32 length, byte type, body) in a buffer rented from
/// <see cref="ArrayPool{T}.Shared"/>, growing it as needed up to a maximum packet length; the
/// length is filled in by <see cref="Finish"/>. The owner disposes it once the bytes were sent,
/// which returns the buffer. Strings are written as UTF-8; paths with NUL are refused.
/// </summary>
internal sealed class SftpPacketWriter : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly int _maxPacketLength;
    private byte[] _buffer;
    private int _length;

    /// <summary>Starts a packet of <paramref name="type"/>.</summary>
    /// <param name="type">The packet type.</param>
    /// <param name="maxPacketLength">The largest packet length (the uint32 field's value) accepted.</param>
    /// <param name="capacity">The expected packet size, to rent once.</param>
    public SftpPacketWriter(SftpPacketType type, int maxPacketLength = SftpFraming.DefaultMaxPacketLength, int capacity = 256)
    {
        _maxPacketLength = maxPacketLength;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 16));
        _length = SftpFraming.LengthFieldSize;
        WriteByte((byte)type);
    }

    /// <summary>Starts a request or reply carrying an id: the type byte, then <c>uint32 id</c>.</summary>
    /// <param name="type">The packet type.</param>
    /// <param name="id">The request id.</param>
    /// <param name="maxPacketLength">The largest packet length accepted.</param>
    /// <param name="capacity">The expected packet size.</param>
    /// <returns>The writer, owned by the caller.</returns>
    public static SftpPacketWriter WithId(SftpPacketType type, uint id, int maxPacketLength = SftpFraming.DefaultMaxPacketLength, int capacity = 256)
    {
        var writer = new SftpPacketWriter(type, maxPacketLength, capacity);
        writer.WriteUInt32(id);
        return writer;
    }

    /// <summary>Writes one byte.</summary>
    /// <param name="value">The byte.</param>
    public void WriteByte(byte value)
    {
        Ensure(1);
        _buffer[_length++] = value;
    }

    /// <summary>Writes a big-endian <c>uint32</c>.</summary>
    /// <param name="value">The value.</param>
    public void WriteUInt32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    /// <summary>Writes a big-endian <c>uint64</c>.</summary>
    /// <param name="value">The value.</param>
    public void WriteUInt64(ulong value)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }

    /// <summary>Writes a <c>string</c> of raw bytes.</summary>
    /// <param name="value">The bytes.</param>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        Ensure(4 + value.Length);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_length), (uint)value.Length);
        value.CopyTo(_buffer.AsSpan(_length + 4));
        _length += 4 + value.Length;
    }

    /// <summary>Writes a <c>string</c> as UTF-8.</summary>
    /// <param name="value">The text.</param>
    public void WriteString(string value)
    {
        int count;
        try
        {
            count = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("The string is not valid UTF-16 (a lone surrogate).", nameof(value), e);
        }

        Ensure(4 + count);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_length), (uint)count);
        StrictUtf8.GetBytes(value, _buffer.AsSpan(_length + 4));
        _length += 4 + count;
    }

    /// <summary>Writes a path: a UTF-8 <c>string</c>, refusing NUL (which would cut the path on the server).</summary>
    /// <param name="path">The path.</param>
    public void WritePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("An SFTP path cannot contain NUL.", nameof(path));
        }

        WriteString(path);
    }

    /// <summary>
    /// Reserves a <c>string</c> of up to <paramref name="maxCount"/> bytes and returns its space,
    /// to fill in place (e.g. a file read straight into a WRITE request); <see cref="CommitBytes"/>
    /// then sets its length.
    /// </summary>
    /// <param name="maxCount">The most bytes that will be written.</param>
    /// <returns>The space to fill.</returns>
    public Memory<byte> ReserveBytes(int maxCount)
    {
        Ensure(4 + maxCount);
        return _buffer.AsMemory(_length + 4, maxCount);
    }

    /// <summary>Ends a string started by <see cref="ReserveBytes"/> with <paramref name="count"/> bytes filled.</summary>
    /// <param name="count">The bytes filled.</param>
    public void CommitBytes(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Ensure(4 + count);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(_length), (uint)count);
        _length += 4 + count;
    }

    /// <summary>Fills in the length and returns the whole packet, valid until disposal.</summary>
    /// <returns>The framed packet.</returns>
    public ReadOnlyMemory<byte> Finish()
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer, (uint)(_length - SftpFraming.LengthFieldSize));
        return _buffer.AsMemory(0, _length);
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length != 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Ensure(int count)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        long needed = (long)_length + count;
        if (needed - SftpFraming.LengthFieldSize > _maxPacketLength)
        {
            throw new SftpProtocolException($"SFTP packet of {needed - SftpFraming.LengthFieldSize} bytes exceeds the maximum of {_maxPacketLength}");
        }

        if (needed > _buffer.Length)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(needed, _buffer.Length * 2L), _maxPacketLength + SftpFraming.LengthFieldSize));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }
}
