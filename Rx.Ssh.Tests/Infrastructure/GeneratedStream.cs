using System.Security.Cryptography;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// A read-only stream of <see cref="Length"/> deterministic pseudo-random bytes, made on the fly
/// (nothing is held in memory but one 64 KiB block), for feeding large inputs such as 100 MB to a
/// child's stdin. Byte <c>i</c> depends only on <c>(seed, i)</c>, so <see cref="ComputeSha256"/>
/// gives the expected hash without keeping the data.
/// </summary>
public sealed class GeneratedStream : Stream
{
    private const int BlockSize = 64 * 1024;

    private readonly long _length;
    private readonly byte[] _block = new byte[BlockSize];
    private readonly int _seed;
    private long _position;
    private long _blockIndex = -1;

    /// <summary>A stream of <paramref name="length"/> bytes generated from <paramref name="seed"/>.</summary>
    /// <param name="length">How many bytes the stream yields before its end.</param>
    /// <param name="seed">Varies the content.</param>
    public GeneratedStream(long length, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _length = length;
        _seed = seed;
    }

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => _length;

    /// <inheritdoc/>
    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>The SHA-256 of the <paramref name="length"/> bytes a stream with <paramref name="seed"/> yields.</summary>
    /// <param name="length">The stream length.</param>
    /// <param name="seed">The seed.</param>
    public static byte[] ComputeSha256(long length, int seed = 1)
    {
        using var stream = new GeneratedStream(length, seed);
        return SHA256.HashData(stream);
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length && _position < _length)
        {
            long block = _position / BlockSize;
            if (block != _blockIndex)
            {
                FillBlock(block);
            }

            int offset = (int)(_position % BlockSize);
            int count = (int)Math.Min(Math.Min(BlockSize - offset, buffer.Length - total), _length - _position);
            _block.AsSpan(offset, count).CopyTo(buffer[total..]);
            total += count;
            _position += count;
        }

        return total;
    }

    /// <inheritdoc/>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled<int>(cancellationToken)
            : ValueTask.FromResult(Read(buffer.Span));

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void FillBlock(long block)
    {
        // xorshift64* seeded per block: cheap, and every block can be made independently.
        ulong state = ((ulong)block * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)_seed << 32) ^ 0xD1B54A32D192ED03UL;
        for (int i = 0; i < BlockSize; i += sizeof(ulong))
        {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(_block.AsSpan(i), state * 0x2545F4914F6CDD1DUL);
        }

        _blockIndex = block;
    }
}
