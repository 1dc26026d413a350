using Rx.Ssh.Sftp.Client;
using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp;

/// <summary>
/// A remote file as a seekable <see cref="Stream"/> (from <see cref="SftpClient.OpenStreamAsync"/>).
/// Sequential reads are served from a read-ahead of blocks already requested; a seek elsewhere
/// drops it. Writes are sent at once and confirmed behind (a bounded number in flight): a failure
/// shows on a later write, <see cref="FlushAsync(CancellationToken)"/> or disposal. Use one
/// reader/writer at a time, as with any stream; prefer the asynchronous methods (the synchronous
/// ones block on them).
/// </summary>
public sealed class SftpFileStream : Stream
{
    private readonly SftpFile _file;
    private readonly bool _canRead;
    private readonly bool _canWrite;
    private readonly int _block;
    private readonly int _depth;
    private readonly Queue<(long Offset, int Length, Task<SftpReply> Reply)> _ahead = new();
    private readonly Queue<Task> _behind = new();
    private long _position;
    private long _aheadNext = -1;
    private long _writtenEnd;
    private bool _disposed;

    internal SftpFileStream(SftpFile file, bool canRead, bool canWrite, int block, int depth)
    {
        _file = file;
        _canRead = canRead;
        _canWrite = canWrite;
        _block = block;
        _depth = depth;
    }

    /// <summary>The open file underneath.</summary>
    public SftpFile File => _file;

    /// <inheritdoc/>
    public override bool CanRead => _canRead && !_disposed;

    /// <inheritdoc/>
    public override bool CanWrite => _canWrite && !_disposed;

    /// <inheritdoc/>
    public override bool CanSeek => !_disposed;

    /// <summary>The remote size (an FSTAT after the writes in flight are confirmed).</summary>
    public override long Length => GetLengthAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    /// <summary>The remote size, asked for after the writes in flight are confirmed.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The size.</returns>
    public async Task<long> GetLengthAsync(CancellationToken cancellationToken = default)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        SftpAttributes attributes = await _file.StatAsync(cancellationToken).ConfigureAwait(false);
        return Math.Max((long)Math.Min(attributes.Size ?? 0, long.MaxValue), _writtenEnd);
    }

    /// <inheritdoc/>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_canRead)
        {
            throw new NotSupportedException("The stream was not opened for reading.");
        }

        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_behind.Count > 0)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_aheadNext < 0 || _ahead.Count == 0 || _ahead.Peek().Offset != _position)
        {
            DropReadAhead();
            _aheadNext = _position;
        }

        while (_ahead.Count < _depth)
        {
            SftpPacketWriter packet = _file.StartRead(_aheadNext, _block, out uint id);
            _ahead.Enqueue((_aheadNext, _block, _file.Client.Session.RequestAsync(packet, id, CancellationToken.None)));
            _aheadNext += _block;
        }

        (long offset, int length, Task<SftpReply> pending) = _ahead.Peek();
        using SftpReply reply = await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
        _ahead.Dequeue();
        ReadOnlyMemory<byte> data = reply.Data(length);
        if (data.IsEmpty)
        {
            DropReadAhead();
            return 0;
        }

        int n = Math.Min(data.Length, buffer.Length);
        data[..n].CopyTo(buffer);
        _position = offset + n;
        if (n < length)
        {
            // Part of the block was not taken (or not sent): the read-ahead restarts from here.
            DropReadAhead();
        }

        return n;
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_canWrite)
        {
            throw new NotSupportedException("The stream was not opened for writing.");
        }

        DropReadAhead();
        while (!buffer.IsEmpty)
        {
            int n = Math.Min(buffer.Length, _block);
            while (_behind.Count >= _depth)
            {
                await _behind.Dequeue().WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            // WriteAsync copies the bytes into its request before returning.
            _behind.Enqueue(_file.WriteAsync(_position, buffer[..n], CancellationToken.None));
            _position += n;
            _writtenEnd = Math.Max(_writtenEnd, _position);
            buffer = buffer[n..];
        }
    }

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Waits until every write sent was confirmed; the first failure among them throws.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when confirmed.</returns>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (_behind.Count > 0)
        {
            Task oldest = _behind.Peek();
            await oldest.WaitAsync(cancellationToken).ConfigureAwait(false);
            _ = _behind.Dequeue();
        }
    }

    /// <inheritdoc/>
    public override void Flush() => FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        _position = target;
        return target;
    }

    /// <summary>FSETSTAT size: truncates or extends the remote file (after the writes in flight).</summary>
    /// <param name="value">The new length.</param>
    public override void SetLength(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        Flush();
        DropReadAhead();
        _file.SetStatAsync(new SftpAttributes { Size = (ulong)value }).GetAwaiter().GetResult();
        _writtenEnd = value;
    }

    /// <summary>Confirms the writes in flight, then closes the handle.</summary>
    /// <returns>Completes when closed.</returns>
    /// <exception cref="SftpException">A write in flight failed (the handle is closed anyway).</exception>
    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        DropReadAhead();
        try
        {
            await FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await _file.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    private void DropReadAhead()
    {
        while (_ahead.TryDequeue(out (long, int, Task<SftpReply> Reply) read))
        {
            SftpTasks.Observe(read.Reply);
        }

        _aheadNext = -1;
    }
}
