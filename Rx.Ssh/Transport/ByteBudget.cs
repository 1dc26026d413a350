namespace Rx.Ssh.Transport;

/// <summary>
/// Bounds the bytes queued for the writer. Two kinds of producers share it:
/// <list type="bullet">
/// <item>User sends (<see cref="AcquireAsync"/>) wait while the queue is over the limit; one
/// producer is always let through when nothing is queued, so a single large packet cannot deadlock.</item>
/// <item>Replies the read loop makes (<see cref="TryAddReply"/>) never wait. They have their own
/// count: the read loop stops reading while it is over <see cref="ReplyLimit"/> (see
/// <see cref="WaitForReplyRoomAsync"/>), and past <see cref="ReplyHardLimit"/> the connection is
/// ended. Only replies count toward the reader's pause, not user data: two peers that both send
/// bulk data and both paused their readers on a full queue would deadlock each other.</item>
/// </list>
/// Every packet costs its payload length plus <see cref="PacketOverhead"/>, so a flood of tiny
/// replies is charged for the memory it really holds.
/// </summary>
internal sealed class ByteBudget
{
    /// <summary>What one queued packet costs besides its payload (its array header, pool rounding, queue slot).</summary>
    public const int PacketOverhead = 64;

    private readonly long _limit;
    private readonly object _gate = new();
    private long _queued;
    private long _replies;
    private bool _holding;
    private TaskCompletionSource? _space;
    private TaskCompletionSource? _replyRoom;
    private Exception? _error;
    private readonly Action<long>? _readPaused;

    /// <summary>
    /// Creates a budget of <paramref name="limit"/> bytes for user sends and replies alike;
    /// <paramref name="readPaused"/> is told the queued reply bytes each time the read loop
    /// starts waiting for reply room (the transport logs it).
    /// </summary>
    public ByteBudget(long limit, long replyLimit, long replyHardLimit, Action<long>? readPaused = null)
    {
        _limit = limit;
        ReplyLimit = replyLimit;
        ReplyHardLimit = replyHardLimit;
        _readPaused = readPaused;
    }

    /// <summary>Queued reply bytes at which the read loop stops reading.</summary>
    public long ReplyLimit { get; }

    /// <summary>Queued reply bytes past which the connection is ended (the reader cannot pause during a key exchange).</summary>
    public long ReplyHardLimit { get; }

    /// <summary>The cost of a packet with <paramref name="payloadLength"/> bytes of payload.</summary>
    public static int Cost(int payloadLength) => payloadLength + PacketOverhead;

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

    /// <summary>
    /// Counts a reply (a message the read loop sends without waiting). False, and nothing
    /// counted, when it would take the queued replies past <see cref="ReplyHardLimit"/>.
    /// </summary>
    public bool TryAddReply(int bytes)
    {
        lock (_gate)
        {
            if (_replies + bytes > ReplyHardLimit)
            {
                return false;
            }

            _replies += bytes;
            _queued += bytes;
            return true;
        }
    }

    /// <summary>Counts bytes that must go out whatever the limits (our DISCONNECT behind queued data).</summary>
    public void AddUnconditionally(int bytes)
    {
        lock (_gate)
        {
            _queued += bytes;
        }
    }

    /// <summary>The writer took <paramref name="bytes"/> off the queue; <paramref name="reply"/> says how they were counted.</summary>
    public void Release(int bytes, bool reply)
    {
        TaskCompletionSource? space = null;
        TaskCompletionSource? replyRoom = null;
        lock (_gate)
        {
            _queued -= bytes;
            if (reply)
            {
                _replies -= bytes;
            }

            if (_space is not null && _queued < _limit)
            {
                space = _space;
                _space = null;
            }

            if (_replyRoom is not null && _replies < ReplyLimit)
            {
                replyRoom = _replyRoom;
                _replyRoom = null;
            }
        }

        space?.TrySetResult();
        replyRoom?.TrySetResult();
    }

    /// <summary>
    /// Set by the writer while it holds the ordinary queue back for a key exchange. The read loop
    /// must then keep reading (the exchange needs the peer's packets), so it does not pause.
    /// </summary>
    public void SetHolding(bool holding)
    {
        TaskCompletionSource? replyRoom = null;
        lock (_gate)
        {
            _holding = holding;
            if (holding)
            {
                replyRoom = _replyRoom;
                _replyRoom = null;
            }
        }

        replyRoom?.TrySetResult();
    }

    /// <summary>
    /// Completes at once while the queued replies are under <see cref="ReplyLimit"/> (or a key
    /// exchange holds the queue); otherwise when the writer has sent enough of them. This is the
    /// read loop's back-pressure: a peer that does not read stops being read.
    /// </summary>
    public ValueTask WaitForReplyRoomAsync(CancellationToken cancellationToken)
    {
        Task wait;
        long replies;
        lock (_gate)
        {
            if (_error is not null)
            {
                return ValueTask.FromException(new SshConnectionException("The connection is closed.", _error));
            }

            if (_replies < ReplyLimit || _holding)
            {
                return ValueTask.CompletedTask;
            }

            _replyRoom ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            wait = _replyRoom.Task;
            replies = _replies;
        }

        _readPaused?.Invoke(replies);
        return new ValueTask(wait.WaitAsync(cancellationToken));
    }

    public void Fail(Exception error)
    {
        TaskCompletionSource? space;
        TaskCompletionSource? replyRoom;
        lock (_gate)
        {
            _error ??= error;
            space = _space;
            _space = null;
            replyRoom = _replyRoom;
            _replyRoom = null;
        }

        space?.TrySetException(error);
        replyRoom?.TrySetException(error);
    }
}
