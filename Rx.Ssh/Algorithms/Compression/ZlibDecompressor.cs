using System.IO.Compression;

namespace Rx.Ssh.Algorithms.Compression;

/// <summary>
/// Incoming <c>zlib</c> / <c>zlib@openssh.com</c> decompression: one inflate stream for the life of
/// the connection, fed one packet at a time. The inflated payload is bounded (a packet that
/// inflates past the limit is a zip bomb and ends the connection with a protocol error).
/// Used by the transport's single reader; not thread-safe.
/// </summary>
internal sealed class ZlibDecompressor : IDisposable
{
    private readonly PacketSource _source = new();
    private readonly ZLibStream _zlib;
    private byte[] _output = new byte[32 * 1024];

    public ZlibDecompressor() => _zlib = new ZLibStream(_source, CompressionMode.Decompress, leaveOpen: true);

    /// <summary>
    /// Inflates one packet's payload; the result is valid until the next call. Throws
    /// <see cref="SshConnectionException"/> (<see cref="DisconnectReason.ProtocolError"/>) when the
    /// result would exceed <paramref name="maxLength"/> bytes or the data is not valid zlib.
    /// </summary>
    public ReadOnlyMemory<byte> Decompress(ReadOnlyMemory<byte> compressed, int maxLength)
    {
        _source.Set(compressed);
        int total = 0;
        try
        {
            while (true)
            {
                if (total == _output.Length)
                {
                    if (total > maxLength)
                    {
                        break;
                    }

                    Array.Resize(ref _output, Math.Min(_output.Length * 2, maxLength + 1));
                }

                int n = _zlib.Read(_output, total, _output.Length - total);
                if (n == 0)
                {
                    break;
                }

                total += n;
            }
        }
        catch (InvalidDataException ex)
        {
            throw new SshConnectionException(DisconnectReason.ProtocolError, "A compressed packet from the peer is not valid zlib data.", innerException: ex);
        }

        if (total > maxLength)
        {
            throw new SshConnectionException(DisconnectReason.ProtocolError, $"A compressed packet from the peer inflates past {maxLength} bytes.");
        }

        if (_source.Remaining != 0)
        {
            throw new SshConnectionException(DisconnectReason.ProtocolError, "A compressed packet from the peer has data after the end of the zlib stream.");
        }

        return _output.AsMemory(0, total);
    }

    public void Dispose()
    {
        _zlib.Dispose();
        _source.Dispose();
    }

    /// <summary>A read-only stream over the current packet's bytes; reports end of data when they run out.</summary>
    private sealed class PacketSource : IO.ForwardStream
    {
        private ReadOnlyMemory<byte> _data;

        public int Remaining => _data.Length;

        public override bool CanRead => true;

        public override bool CanWrite => false;

        public void Set(ReadOnlyMemory<byte> data) => _data = data;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(buffer.Length, _data.Length);
            _data.Span[..n].CopyTo(buffer);
            _data = _data[n..];
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));
    }
}
