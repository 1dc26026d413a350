using System.Runtime.ExceptionServices;

namespace Rx.Ssh.IO;

/// <summary>
/// An observer that copies the chunks it is given into a queue of at most <c>limit</c> bytes, for
/// one asynchronous consumer. When the queue is full, <see cref="OnNext"/> blocks the emitting thread
/// until the consumer has written enough (<see cref="Written"/>) or stopped (<see cref="Stop"/>):
/// memory stays bounded whatever the source's pace. A chunk larger than the limit is taken alone,
/// once the queue is empty. Bytes count from <c>OnNext</c> until <see cref="Written"/>.
/// </summary>
internal sealed class BoundedChunkQueue(long limit) : IObserver<ReadOnlyMemory<byte>>
{
    private readonly object _gate = new();
    private readonly Queue<ReadOnlyMemory<byte>> _chunks = new();
    private long _bytes;
    private bool _completed;
    private bool _stopped;
    private Exception? _error;
    private TaskCompletionSource? _available;

    /// <summary>The most bytes ever held at once (logged when the copy ends).</summary>
    public long PeakBytes
    {
        get
        {
            lock (_gate)
            {
                return field;
            }
        }

        private set;
    }

    /// <inheritdoc />
    public void OnNext(ReadOnlyMemory<byte> value)
    {
        if (value.IsEmpty)
        {
            return;
        }

        TaskCompletionSource? available;
        lock (_gate)
        {
            while (!_stopped && _bytes > 0 && _bytes + value.Length > limit)
            {
                Monitor.Wait(_gate);
            }

            if (_stopped || _completed)
            {
                return;
            }

            // A copy: the emitter may reuse its buffer once OnNext returns.
            _chunks.Enqueue(value.ToArray());
            _bytes += value.Length;
            PeakBytes = Math.Max(PeakBytes, _bytes);
            available = _available;
            _available = null;
        }

        available?.TrySetResult();
    }

    /// <inheritdoc />
    public void OnError(Exception error) => End(error);

    /// <inheritdoc />
    public void OnCompleted() => End(null);

    /// <summary>The next chunk in order; null once the source completed and everything was taken. Throws the source's error.</summary>
    public async ValueTask<ReadOnlyMemory<byte>?> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (_error is { } error)
                {
                    ExceptionDispatchInfo.Throw(error);
                }

                if (_chunks.TryDequeue(out ReadOnlyMemory<byte> chunk))
                {
                    return chunk;
                }

                if (_completed)
                {
                    return null;
                }

                _available ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _available.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The consumer is done with a chunk of <paramref name="length"/> bytes: its room goes back to the emitter.</summary>
    public void Written(int length)
    {
        lock (_gate)
        {
            _bytes -= length;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The consumer stops: a blocked emitter goes free, later chunks are dropped.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
            _chunks.Clear();
            Monitor.PulseAll(_gate);
        }
    }

    private void End(Exception? error)
    {
        TaskCompletionSource? available;
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            _error = error;
            available = _available;
            _available = null;
        }

        available?.TrySetResult();
    }
}
