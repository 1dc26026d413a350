using System.Security.Cryptography;

/// <summary>
/// A read-only stream of <c>length</c> bytes: one 1 MiB block from a fixed seed, repeated. Both
/// processes of <c>--scale</c> make the same bytes, so the receiver's SHA-256 can be checked
/// against <see cref="Sha256"/> without a file.
/// </summary>
internal sealed class ScaleData(long length) : Stream
{
    private static readonly byte[] Block = MakeBlock();
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    /// <summary>The SHA-256 of the first <paramref name="length"/> bytes, in lower-case hex.</summary>
    public static string Sha256(long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (long done = 0; done < length; done += Block.Length)
        {
            hash.AppendData(Block, 0, (int)Math.Min(Block.Length, length - done));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int offset = (int)(_position % Block.Length);
        int n = (int)Math.Min(Math.Min(buffer.Length, Block.Length - offset), length - _position);
        Block.AsSpan(offset, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private static byte[] MakeBlock()
    {
        var block = new byte[1024 * 1024];
#pragma warning disable CA5394 // not for security: the same bytes in two processes
        new Random(20261203).NextBytes(block);
#pragma warning restore CA5394
        return block;
    }
}

/// <summary>A write-only stream that feeds what is written to a hash.</summary>
internal sealed class HashingStream(IncrementalHash hash) : Stream
{
    public long Written { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => Written;

    public override long Position { get => Written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        hash.AppendData(buffer);
        Written += buffer.Length;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
