using System.Buffers;
using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp.Client;

/// <summary>
/// One reply matched to its request: its type and its body after the id, in a buffer rented from
/// <see cref="ArrayPool{T}.Shared"/>. The receiver owns it and disposes it once decoded.
/// </summary>
internal sealed class SftpReply : IDisposable
{
    private byte[] _buffer;
    private readonly int _offset;
    private readonly int _length;

    /// <summary>Wraps a rented buffer.</summary>
    /// <param name="type">The reply's packet type.</param>
    /// <param name="buffer">The rented buffer (the whole packet), now owned by the reply.</param>
    /// <param name="offset">Where the body (after the id) starts in it.</param>
    /// <param name="length">The body's length.</param>
    public SftpReply(SftpPacketType type, byte[] buffer, int offset, int length)
    {
        Type = type;
        _buffer = buffer;
        _offset = offset;
        _length = length;
    }

    /// <summary>The packet type.</summary>
    public SftpPacketType Type { get; }

    /// <summary>The body after the id.</summary>
    public ReadOnlySpan<byte> Body => _buffer.AsSpan(_offset, _length);

    /// <summary>A reader over <see cref="Body"/>.</summary>
    /// <returns>The reader.</returns>
    public SftpPacketReader Reader() => new(Body);

    /// <summary>The payload of a DATA reply, a view into the reply's buffer (valid until disposal).</summary>
    /// <param name="maxLength">The most bytes asked for.</param>
    /// <returns>The data; empty for an EOF status.</returns>
    /// <exception cref="SftpException">A failure status.</exception>
    /// <exception cref="SftpProtocolException">Another reply type, a malformed DATA, or more data than asked for.</exception>
    public ReadOnlyMemory<byte> Data(int maxLength)
    {
        if (Type == SftpPacketType.Data)
        {
            SftpPacketReader reader = Reader();
            int length = reader.ReadBytes().Length;
            reader.ReadEnd();
            if (length > maxLength)
            {
                throw new SftpProtocolException($"SFTP server sent {length} bytes for a read of {maxLength}");
            }

            return _buffer.AsMemory(_offset + 4, length);
        }

        if (Type == SftpPacketType.Status)
        {
            SftpPacketReader reader = Reader();
            if (SftpStatusReply.Read(ref reader).Code == SftpStatusCode.Eof)
            {
                return ReadOnlyMemory<byte>.Empty;
            }
        }

        throw Unexpected("DATA");
    }

    /// <summary>Returns the buffer.</summary>
    public void Dispose()
    {
        byte[] buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length != 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The error for a reply that is not the one expected: a STATUS's own, else a protocol error.</summary>
    /// <param name="expected">What was expected, for the message.</param>
    /// <returns>The exception to throw.</returns>
    public Exception Unexpected(string expected)
    {
        if (Type == SftpPacketType.Status)
        {
            SftpPacketReader reader = Reader();
            SftpStatusReply status = SftpStatusReply.Read(ref reader);
            return status.Code == SftpStatusCode.Ok
                ? new SftpProtocolException($"SFTP server answered OK where {expected} was expected")
                : status.ToException();
        }

        return new SftpProtocolException($"SFTP server answered {Type} where {expected} was expected");
    }
}
