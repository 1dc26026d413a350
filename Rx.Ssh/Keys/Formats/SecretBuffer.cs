using System.Buffers;
using System.Security.Cryptography;

namespace Rx.Ssh.Keys.Formats;

/// <summary>
/// A growable buffer for key material: every array it lets go of (on growth and on dispose) is
/// zeroed first, so no copy of a secret is left behind for the garbage collector.
/// </summary>
internal sealed class SecretBuffer : IBufferWriter<byte>, IDisposable
{
    private byte[] _array;
    private int _length;

    public SecretBuffer(int initialCapacity = 1024)
    {
        _array = new byte[initialCapacity];
    }

    public int Length => _length;

    public Span<byte> WrittenSpan => _array.AsSpan(0, _length);

    public Wire.SshWriter Writer => new(this);

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

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_array);
        _length = 0;
    }

    private void Ensure(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_array.Length - _length >= sizeHint)
        {
            return;
        }

        byte[] bigger = new byte[Math.Max(_array.Length * 2, _length + sizeHint)];
        _array.AsSpan(0, _length).CopyTo(bigger);
        CryptographicOperations.ZeroMemory(_array);
        _array = bigger;
    }
}
