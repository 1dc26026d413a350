using System.Security.Cryptography;

namespace Rx.Ssh.Tests.Redirection;

/// <summary>
/// A write-only stream for flow-control tests: every write waits until <see cref="Open"/> is
/// called, and what gets through is counted and hashed. Or, with a failure point, it throws
/// <see cref="IOException"/> once that many bytes have been written.
/// </summary>
internal sealed class GatedStream(bool gated = true, long failAfter = long.MaxValue) : Stream
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstWrite = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _received;

    /// <summary>Completes when the first write arrives (and, gated, waits).</summary>
    public Task FirstWrite => _firstWrite.Task;

    /// <summary>Bytes written through.</summary>
    public long Received => Interlocked.Read(ref _received);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Lets writes through from now on.</summary>
    public void Open() => _gate.TrySetResult();

    /// <summary>The sha256 (hex) of everything written.</summary>
    public string Sha256() => Convert.ToHexStringLower(_hash.GetCurrentHash());

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _firstWrite.TrySetResult();
        if (gated)
        {
            await _gate.Task.WaitAsync(cancellationToken);
        }

        if (Received + buffer.Length > failAfter)
        {
            throw new IOException("No space left on the test device.");
        }

        _hash.AppendData(buffer.Span);
        Interlocked.Add(ref _received, buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
