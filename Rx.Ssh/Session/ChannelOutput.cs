using Rx.Ssh.Connection;

namespace Rx.Ssh.Session;

/// <summary>
/// Ordered output of a session channel (a server's stdout and stderr, a client's stdin): data, stderr, EOF, exit and close go out in
/// the order they were asked for, each waiting for the previous one (and for window). Writes
/// that are not awaited (<see cref="Post"/>) are bounded: past the connection's
/// <see cref="SshChannelSettings.MaxQueuedOutputBytes"/> queued bytes they fail instead of growing memory.
/// </summary>
internal sealed class ChannelOutput
{
    private readonly SshChannel _channel;
    private readonly long _maxPendingBytes;
    private readonly object _gate = new();
    private Task _tail = Task.CompletedTask;
    private long _pending;

    public ChannelOutput(SshChannel channel, long maxPendingBytes)
    {
        _channel = channel;
        _maxPendingBytes = maxPendingBytes;
    }

    public Task WriteAsync(ReadOnlyMemory<byte> data, uint? dataType, CancellationToken cancellationToken)
    {
        if (data.IsEmpty)
        {
            return Task.CompletedTask;
        }

        Interlocked.Add(ref _pending, data.Length);
        return EnqueueAsync(async () =>
        {
            try
            {
                await _channel.WriteAsync(data, dataType, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Add(ref _pending, -data.Length);
            }
        });
    }

    /// <summary>Queues without waiting; errors (channel closed) are dropped, a full queue throws.</summary>
    public void Post(ReadOnlyMemory<byte> data, uint? dataType)
    {
        if (Interlocked.Read(ref _pending) + data.Length > _maxPendingBytes)
        {
            throw new SshChannelException($"More than {_maxPendingBytes} bytes of output are waiting for the client; await the Write*Async methods to follow flow control.");
        }

        IO.TaskFaults.Observe(WriteAsync(data, dataType, CancellationToken.None));
    }

    /// <summary>Runs <paramref name="action"/> after everything queued before it.</summary>
    public Task EnqueueAsync(Func<Task> action)
    {
        lock (_gate)
        {
            Task previous = _tail;
            Task next = RunAfterAsync(previous, action);
            _tail = next;
            return next;
        }
    }

    private static async Task RunAfterAsync(Task previous, Func<Task> action)
    {
        try
        {
            await previous.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The earlier write's failure belongs to its caller; this one runs (and fails) on its own.
        }

        await action().ConfigureAwait(false);
    }
}
