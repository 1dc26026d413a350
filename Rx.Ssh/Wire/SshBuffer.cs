using System.Buffers;

namespace Rx.Ssh.Wire;

/// <summary>
/// A growable byte buffer on <see cref="ArrayPool{T}"/> used to build messages and packets.
/// Internal plumbing: the hot path rents and returns, it does not allocate per packet.
/// </summary>
/// <remarks>
/// A buffer made by <see cref="ForSecret"/> zeroes what was written before an array goes back to
/// the pool (when it grows, on <see cref="Clear"/> and on <see cref="Dispose"/>), so key material
/// such as the shared secret K does not outlive its use in pooled memory.
/// </remarks>
internal sealed class SshBuffer : IBufferWriter<byte>, IDisposable
{
    private readonly ArrayPool<byte> _pool;
    private readonly bool _sensitive;
    private byte[] _array;
    private int _length;

    public SshBuffer(int initialCapacity = 256)
        : this(initialCapacity, sensitive: false, ArrayPool<byte>.Shared)
    {
    }

    internal SshBuffer(int initialCapacity, bool sensitive, ArrayPool<byte> pool)
    {
        _pool = pool;
        _sensitive = sensitive;
        _array = pool.Rent(initialCapacity);
    }

    /// <summary>A buffer for secrets: its written bytes are zeroed before its arrays go back to the pool.</summary>
    public static SshBuffer ForSecret(int initialCapacity = 256) => new(initialCapacity, sensitive: true, ArrayPool<byte>.Shared);

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _length);

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

    public void Clear()
    {
        Wipe();
        _length = 0;
    }

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

        byte[] bigger = _pool.Rent(Math.Max(_array.Length * 2, _length + sizeHint));
        _array.AsSpan(0, _length).CopyTo(bigger);
        if (_array.Length > 0)
        {
            Wipe();
            _pool.Return(_array);
        }

        _array = bigger;
    }

    public void Dispose()
    {
        if (_array.Length > 0)
        {
            Wipe();
            _pool.Return(_array);
        }

        _array = [];
        _length = 0;
    }

    private void Wipe()
    {
        if (_sensitive)
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(_array); // all of it: a writer may have used more than it advanced
        }
    }
}
