using System.Security.Cryptography;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// A write-only stream that keeps only the SHA-256 and the count of what was written: the sink
/// for a child's large stdout (compare with <see cref="GeneratedStream.ComputeSha256"/>).
/// </summary>
public sealed class Sha256Sink : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[]? _final;
    private long _count;

    /// <summary>How many bytes were written.</summary>
    public long BytesWritten => Interlocked.Read(ref _count);

    /// <inheritdoc/>
    public override bool CanRead => false;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => true;

    /// <inheritdoc/>
    public override long Length => BytesWritten;

    /// <inheritdoc/>
    public override long Position
    {
        get => BytesWritten;
        set => throw new NotSupportedException();
    }

    /// <summary>The SHA-256 of everything written; no more writes are accepted after the first call.</summary>
    public byte[] GetHash() => _final ??= _hash.GetHashAndReset();

    /// <summary><see cref="GetHash"/> as lowercase hex (as <c>sha256sum</c> prints it).</summary>
    public string GetHashHex() => Convert.ToHexStringLower(GetHash());

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_final is not null)
        {
            throw new InvalidOperationException("The hash was already taken.");
        }

        _hash.AppendData(buffer);
        Interlocked.Add(ref _count, buffer.Length);
    }

    /// <inheritdoc/>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
