namespace Rx.Ssh.IO;

/// <summary>
/// The part every forward-only stream of the library shares: no length, position or seeking, a
/// flush that does nothing unless overridden, and the array overloads routed to the memory-based
/// <see cref="Stream.ReadAsync(Memory{byte}, CancellationToken)"/> and
/// <see cref="Stream.WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>, which a subclass
/// overrides for each direction it supports (<see cref="Stream.CanRead"/>, <see cref="Stream.CanWrite"/>);
/// the other direction throws <see cref="NotSupportedException"/>.
/// </summary>
internal abstract class ForwardStream : Stream
{
    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        CanRead ? ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult() : throw new NotSupportedException();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        CanRead ? ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask() : throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (!CanWrite)
        {
            throw new NotSupportedException();
        }

        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        CanWrite ? WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask() : throw new NotSupportedException();
}
