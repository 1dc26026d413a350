using System.IO.Pipelines;

namespace Rx.Ssh.Testing;

/// <summary>
/// Connected in-memory byte streams, for running a client and a server in one process without
/// sockets (tests, embedding). Each direction is a bounded pipe: a writer waits while
/// <c>bufferSize</c> bytes are unread, so flow control behaves as over TCP.
/// </summary>
public static class InMemoryStream
{
    /// <summary>Creates two connected duplex streams: what one writes, the other reads. Disposing one ends the other's reads.</summary>
    public static (Stream First, Stream Second) CreatePair(int bufferSize = 1024 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bufferSize);
        var options = new PipeOptions(pauseWriterThreshold: bufferSize, resumeWriterThreshold: bufferSize / 2, useSynchronizationContext: false);
        var ab = new Pipe(options);
        var ba = new Pipe(options);
        return (new Duplex(ba.Reader, ab.Writer), new Duplex(ab.Reader, ba.Writer));
    }

    private sealed class Duplex(PipeReader reader, PipeWriter writer) : Stream
    {
        private readonly Stream _in = reader.AsStream();
        private readonly Stream _out = writer.AsStream();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        private int _disposed;

        public override int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                return _in.Read(buffer, offset, count);
            }
            catch (InvalidOperationException) when (Volatile.Read(ref _disposed) != 0)
            {
                throw Closed();
            }
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await _in.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException) when (Volatile.Read(ref _disposed) != 0)
            {
                // The pipe says "reading is not allowed after the reader was completed"; a socket says disposed.
                throw Closed();
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private static ObjectDisposedException Closed() => new(nameof(InMemoryStream), "The in-memory stream was closed.");

        public override void Write(byte[] buffer, int offset, int count) => _out.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _out.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _out.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Flush() => _out.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => _out.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Volatile.Write(ref _disposed, 1);
                // As closing a socket does, wake a read in progress on this side (it then fails),
                // and end the peer's reads (EOF) and writes.
                reader.CancelPendingRead();
                writer.Complete();
                reader.Complete();
            }

            base.Dispose(disposing);
        }
    }
}
