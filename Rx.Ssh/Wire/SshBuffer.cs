using System.Buffers;

namespace Rx.Ssh.Wire;

/// <summary>
/// A growable byte buffer on <see cref="ArrayPool{T}"/> used to build messages and packets.
/// Internal plumbing: the hot path rents and returns, it does not allocate per packet.
/// </summary>
internal sealed class SshBuffer : IBufferWriter<byte>, IDisposable
{
    private byte[] _array;
    private int _length;

    public SshBuffer(int initialCapacity = 256)
    {
        _array = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _length);

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _length);

    public SshWriter Writer => new(this);

    public void Advance(int count)
    {
        if (count < 0 || _length + count > _array.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        _length += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_length);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_length);
    }

    public void Clear() => _length = 0;

    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Hands the rented array to the caller, who must return it to the pool.</summary>
    public byte[] Detach(out int length)
    {
        byte[] array = _array;
        length = _length;
        _array = [];
        _length = 0;
        return array;
    }

    private void Ensure(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_array.Length - _length >= sizeHint)
        {
            return;
        }

        byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_array.Length * 2, _length + sizeHint));
        _array.AsSpan(0, _length).CopyTo(bigger);
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
        }

        _array = bigger;
    }

    public void Dispose()
    {
        if (_array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_array);
        }

        _array = [];
        _length = 0;
    }
}
