namespace Rx.Ssh.Transport;

/// <summary>
/// Bounds the bytes queued for the writer. Producers that would pass the limit wait until the
/// writer has sent enough; one producer is always let through so a single large packet cannot
/// deadlock.
/// </summary>
internal sealed class ByteBudget
{
    private readonly long _limit;
    private readonly object _gate = new();
    private long _queued;
    private TaskCompletionSource? _space;
    private Exception? _error;

    public ByteBudget(long limit) => _limit = limit;

    public async ValueTask AcquireAsync(int bytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (_error is not null)
                {
                    throw new SshConnectionException("The connection is closed.", _error);
                }

                if (_queued == 0 || _queued + bytes <= _limit)
                {
                    _queued += bytes;
                    return;
                }

                _space ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _space.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Counts bytes that bypass the wait (messages sent from the read loop).</summary>
    public void AddUnconditionally(int bytes)
    {
        lock (_gate)
        {
            _queued += bytes;
        }
    }

    public void Release(int bytes)
    {
        TaskCompletionSource? space = null;
        lock (_gate)
        {
            _queued -= bytes;
            if (_space is not null && _queued < _limit)
            {
                space = _space;
                _space = null;
            }
        }

        space?.TrySetResult();
    }

    public void Fail(Exception error)
    {
        TaskCompletionSource? space;
        lock (_gate)
        {
            _error ??= error;
            space = _space;
            _space = null;
        }

        space?.TrySetException(error);
    }
}
