using System.Buffers;
using Rx.Ssh.Connection;

namespace Rx.Ssh.Session;

/// <summary>
/// The pull side of one incoming stream of a session channel (a client process's stdout or
/// stderr, a server process's stdin), shared by both roles' readers. Data events stay in the
/// pooled buffers the dispatch loop filled; window goes back to the peer only as the reader
/// takes the bytes (<see cref="Advance"/>), so a reader that stops stops the peer.
/// </summary>
/// <remarks>
/// <para>One consumer at a time: <see cref="Enter"/> claims the stream for one read operation
/// (or one observable subscription) and a second concurrent claim fails with
/// <see cref="InvalidOperationException"/>.</para>
/// <para>The unread rule: two streams of one channel share its window, so a stream nobody reads
/// would stall the other one and the exit. A stream that no one has started reading holds at most
/// <c>windowShare</c> bytes of window (a quarter of the window: two unread streams can never fill
/// it, so the channel cannot deadlock on output nobody reads); what arrives beyond that has its
/// window given back at once and is kept in memory for a reader that comes late, up to
/// <c>unreadLimit</c> bytes held. Past that, everything held is dropped and so is everything
/// after, and a later read fails with the error from <c>discardedError</c>. A stream once read
/// keeps exact back-pressure from then on.</para>
/// </remarks>
internal sealed class ChannelInput
{
    private readonly SshChannel _channel;
    private readonly long _unreadLimit;
    private readonly long _windowShare;
    private readonly Func<Exception>? _discardedError;
    private readonly object _gate = new();
    private readonly Queue<ChannelEvent> _queue = new();
    private TaskCompletionSource? _waiter;
    private long _queuedBytes;
    private long _precredited;
    private bool _completed;
    private Exception? _error;
    private bool _started;
    private bool _discarding;
    private int _busy;
    private byte[]? _buffer;
    private int _offset;
    private int _length;

    /// <param name="channel">The channel whose window the data uses.</param>
    /// <param name="windowShare">Window bytes a stream not read yet may hold; <see cref="long.MaxValue"/> for exact back-pressure from the start.</param>
    /// <param name="unreadLimit">Bytes held for a stream not read yet before it is discarded.</param>
    /// <param name="discardedError">The error a read sees once the stream was discarded.</param>
    public ChannelInput(SshChannel channel, long windowShare = long.MaxValue, long unreadLimit = long.MaxValue, Func<Exception>? discardedError = null)
    {
        _channel = channel;
        _windowShare = windowShare;
        _unreadLimit = unreadLimit;
        _discardedError = discardedError;
    }

    /// <summary>The bytes of the current chunk not taken yet (valid after <see cref="FillAsync"/> returned true).</summary>
    public ReadOnlySpan<byte> Current => _buffer.AsSpan(_offset, _length);

    /// <summary>The current chunk as memory.</summary>
    public ReadOnlyMemory<byte> CurrentMemory => _buffer.AsMemory(_offset, _length);

    /// <summary>Bytes left in the current chunk.</summary>
    public int Length => _length;

    /// <summary>
    /// Claims the stream for one consumer until the result is disposed, and marks it as read (the
    /// unread rule no longer applies).
    /// </summary>
    /// <exception cref="InvalidOperationException">Another read or subscription is in progress.</exception>
    public Lease Enter(string what)
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException($"The {what} is already being read: one reader at a time (a read, a subscription to Data/Text/Lines, a copy or a redirection). Await the other read, or dispose its subscription, first.");
        }

        lock (_gate)
        {
            _started = true;
        }

        return new Lease(this);
    }

    /// <summary>Marks the stream as read from now on (a redirection or capture is about to read it), so the unread rule no longer applies.</summary>
    public void MarkRead()
    {
        lock (_gate)
        {
            _started = true;
        }
    }

    /// <summary>Queues a data event (from the pump); under the unread rule its window may go back at once, or it may be dropped.</summary>
    public void Enqueue(in ChannelEvent e)
    {
        List<ChannelEvent>? drop = null;
        int credit = 0;
        lock (_gate)
        {
            if (_completed || _discarding)
            {
                drop = [e];
            }
            else
            {
                _queue.Enqueue(e);
                _queuedBytes += e.Length;
                if (!_started && _queuedBytes > _unreadLimit)
                {
                    // Nobody reads this stream and it has reached its bound: drop it from now on.
                    _discarding = true;
                    drop = [.. _queue];
                    _queue.Clear();
                    credit = -(int)Math.Min(_precredited, int.MaxValue);
                    _queuedBytes = 0;
                    _precredited = 0;
                }
                else if (!_started && _queuedBytes - _precredited > _windowShare)
                {
                    // Nobody reads this stream yet: keep the data, but not the shared window.
                    credit = (int)(_queuedBytes - _precredited - _windowShare);
                    _precredited += credit;
                }
            }
        }

        if (drop is not null)
        {
            // Dropped chunks give back their window, less what was given back early.
            foreach (ChannelEvent d in drop)
            {
                ArrayPool<byte>.Shared.Return(d.Buffer!);
            }

            _channel.Consumed(drop.Sum(d => d.Length) + credit);
        }
        else if (credit > 0)
        {
            _channel.Consumed(credit);
        }

        Wake();
    }

    /// <summary>No more data: the reader sees the end after what is queued (or <paramref name="error"/>).</summary>
    public void Complete(Exception? error = null)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            _error = error;
        }

        Wake();
    }

    /// <summary>
    /// Makes a chunk current, waiting for one. False at the end of the stream. Throws the
    /// completion error, or the discarded error unless <paramref name="allowDiscarded"/>.
    /// </summary>
    public async ValueTask<bool> FillAsync(CancellationToken cancellationToken, bool allowDiscarded = false)
    {
        while (_length == 0)
        {
            Task wait;
            lock (_gate)
            {
                if (_discarding && !allowDiscarded)
                {
                    throw _discardedError?.Invoke() ?? new SshChannelException("The stream was discarded.");
                }

                if (_queue.TryDequeue(out ChannelEvent e))
                {
                    _queuedBytes -= e.Length;
                    _buffer = e.Buffer;
                    _offset = e.Offset;
                    _length = e.Length;
                    continue;
                }

                if (_completed)
                {
                    if (_error is not null)
                    {
                        throw _error;
                    }

                    return false;
                }

                _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _waiter.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Takes <paramref name="count"/> bytes of the current chunk, giving their window back; the buffer goes back to the pool once the chunk is used up.</summary>
    public void Advance(int count)
    {
        _offset += count;
        _length -= count;
        if (_length == 0 && _buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        long early;
        lock (_gate)
        {
            // Bytes whose window already went back (the unread rule) are not counted twice.
            early = Math.Min(count, _precredited);
            _precredited -= early;
        }

        _channel.Consumed(count - (int)early);
    }

    /// <summary>Returns every buffer not read (the process was disposed); later data is dropped.</summary>
    public void ReleaseUnread()
    {
        ChannelEvent[] queued;
        lock (_gate)
        {
            _completed = true;
            queued = [.. _queue];
            _queue.Clear();
            _queuedBytes = 0;
        }

        if (Interlocked.CompareExchange(ref _busy, 1, 0) == 0)
        {
            // No read in progress: the current chunk may be returned too.
            if (_length > 0)
            {
                Advance(_length);
            }

            Volatile.Write(ref _busy, 0);
        }

        long bytes = 0;
        foreach (ChannelEvent e in queued)
        {
            ArrayPool<byte>.Shared.Return(e.Buffer!);
            bytes += e.Length;
        }

        long early;
        lock (_gate)
        {
            early = Math.Min(bytes, _precredited);
            _precredited -= early;
        }

        _channel.Consumed((int)(bytes - early));
        Wake();
    }

    private void Wake()
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
    }

    /// <summary>One consumer's claim on the stream (see <see cref="Enter"/>).</summary>
    public readonly struct Lease(ChannelInput input) : IDisposable
    {
        /// <summary>Releases the claim.</summary>
        public void Dispose() => Volatile.Write(ref input._busy, 0);
    }
}
