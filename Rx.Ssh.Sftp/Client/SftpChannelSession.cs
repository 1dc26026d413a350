using System.Buffers;
using System.Collections.Concurrent;
using System.Reactive.Concurrency;
using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp.Client;

/// <summary>
/// The request engine of one SFTP client session over one channel: ids, one reader loop matching
/// replies to their requests by id (any order), and a sender that writes queued requests,
/// coalescing small ones into one channel write. There is no writer thread: whoever queues a request
/// while nobody is sending sends the queue itself (until a write has to wait; it then goes on
/// asynchronously), so a request costs no thread switch on its way to the channel. Every wait takes a cancellation token. A
/// cancelled request stays known until its reply comes (then dropped; a handle it opened is
/// closed), so ids are never reused while the server may still answer. With a reply timeout, a
/// watchdog on the scheduler ends the session when requests are outstanding and the server has
/// sent nothing for that long (see <see cref="SftpClientOptions.ReplyTimeout"/>).
/// </summary>
internal sealed class SftpChannelSession : IAsyncDisposable
{
    // Packets this size or smaller are copied into one batch buffer; larger ones (WRITE data) go out as they are.
    private const int BatchSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly int _maxReceiveLength;
    private readonly ConcurrentDictionary<uint, Pending> _pending = new();
    private readonly ConcurrentQueue<SftpPacketWriter> _outgoing = new();
    private readonly SemaphoreSlim _sending = new(1, 1); // held by the one sender draining _outgoing
    private readonly TaskCompletionSource<SftpHello> _hello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _replyTimeout;
    private readonly IScheduler _scheduler;
    private IDisposable? _watchdog;
    private long _lastReplyTicks;
    private Task _readLoop = Task.CompletedTask;
    private Exception? _failure;
    private int _nextId;
    private int _disposed;

    /// <summary>Wraps an open <c>sftp</c> subsystem channel (any duplex stream: tests use an in-memory one).</summary>
    /// <param name="stream">The channel, owned by the session from now on.</param>
    /// <param name="maxReceiveLength">The longest packet accepted from the server.</param>
    /// <param name="replyTimeout">How long the server may stay silent while requests are outstanding; zero or infinite: forever.</param>
    /// <param name="scheduler">The clock of the reply timeout.</param>
    public SftpChannelSession(Stream stream, int maxReceiveLength, TimeSpan replyTimeout, IScheduler scheduler)
    {
        _replyTimeout = replyTimeout;
        _scheduler = scheduler;
        _stream = stream;
        _maxReceiveLength = maxReceiveLength;
    }

    /// <summary>The most bytes one outgoing packet may have (its length field's value).</summary>
    public int MaxSendLength { get; set; } = SftpFraming.DefaultMaxPacketLength;

    /// <summary>Completes when the session ended (channel closed, protocol error, disposal). Never faults.</summary>
    public Task Ended => _ended.Task;

    /// <summary>Sends INIT, starts both loops and waits for VERSION.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The server's hello.</returns>
    public async Task<SftpHello> StartAsync(CancellationToken cancellationToken)
    {
        _readLoop = Task.Run(ReadLoopAsync, CancellationToken.None);
        Send(new SftpHello(SftpHello.ProtocolVersion, []).ToPacket(SftpPacketType.Init));
        StartWatchdog();
        return await _hello.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Allocates a request id.</summary>
    /// <returns>The id.</returns>
    public uint NextId() => (uint)Interlocked.Increment(ref _nextId);

    /// <summary>Starts a request packet with a fresh id.</summary>
    /// <param name="type">The request type.</param>
    /// <param name="capacity">The expected size.</param>
    /// <returns>The writer (its id is the uint32 after the type) and the id.</returns>
    public (SftpPacketWriter Writer, uint Id) Start(SftpPacketType type, int capacity = 256)
    {
        uint id = NextId();
        return (SftpPacketWriter.WithId(type, id, MaxSendLength, capacity), id);
    }

    /// <summary>
    /// Queues a request and waits for its reply. The packet is owned by the session from the call on.
    /// Cancelling stops the wait only: the reply, when it comes, is dropped (a handle closed).
    /// </summary>
    /// <param name="packet">The request.</param>
    /// <param name="id">Its id.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The reply, owned by the caller.</returns>
    /// <exception cref="SftpException"><see cref="SftpStatusCode.ConnectionLost"/> once the session ended.</exception>
    public Task<SftpReply> RequestAsync(SftpPacketWriter packet, uint id, CancellationToken cancellationToken)
    {
        var pending = new Pending(this, _scheduler.Now.UtcTicks);
        if (!_pending.TryAdd(id, pending))
        {
            packet.Dispose();
            throw new InvalidOperationException($"SFTP request id {id} is in use.");
        }

        if (Volatile.Read(ref _failure) is not null)
        {
            packet.Dispose();
            _pending.TryRemove(id, out _);
            return Task.FromException<SftpReply>(Lost(Volatile.Read(ref _failure)));
        }

        Send(packet);

        if (Volatile.Read(ref _failure) is { } late && _pending.TryRemove(id, out _))
        {
            // The session ended between the add and the sweep: nobody else will complete it.
            pending.TrySetException(Lost(late));
        }

        return cancellationToken.CanBeCanceled ? WaitAsync(pending, cancellationToken) : pending.Task;
    }

    /// <summary>Stops both loops and closes the channel.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Terminate(new ObjectDisposedException(nameof(SftpClient), "The SFTP client was disposed."));

        // Closing the channel first also ends a write waiting for the peer's window; the sender and the reader then end.
        await _stream.DisposeAsync().ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        await _readLoop.ConfigureAwait(false); // catches everything

        // Taken for good: no sender runs from now on; what is still queued is dropped.
        await _sending.WaitAsync().ConfigureAwait(false);
        DropQueued();
        _stop.Dispose();
    }

    private static async Task<SftpReply> WaitAsync(Pending pending, CancellationToken cancellationToken)
    {
        try
        {
            return await pending.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            pending.Abandon();
            throw;
        }
    }

    private static SftpException Lost(Exception? cause) => cause switch
    {
        SftpException { Code: SftpStatusCode.ConnectionLost } lost => new SftpException(SftpStatusCode.ConnectionLost, lost.Message, lost.InnerException),
        null => new SftpException(SftpStatusCode.ConnectionLost, "The SFTP session ended."),
        _ => new SftpException(SftpStatusCode.ConnectionLost, "The SFTP session ended: " + cause.Message, cause),
    };

    private void Terminate(Exception cause)
    {
        if (Interlocked.CompareExchange(ref _failure, cause, null) is not null)
        {
            return;
        }

        _hello.TrySetException(cause is SftpException or SftpProtocolException ? cause : Lost(cause));
        foreach (uint id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out Pending? pending))
            {
                pending.TrySetException(Lost(cause));
            }
        }

        // The sender drops what is still queued.
        Interlocked.Exchange(ref _watchdog, null)?.Dispose();
        _ended.TrySetResult();
    }

    private async Task ReadLoopAsync()
    {
        // Each packet is read straight from the channel into a pooled buffer of its own size: the
        // channel's data is copied once, into the buffer the reply keeps (no pipe in between).
        byte[] lengthField = new byte[SftpFraming.LengthFieldSize];
        try
        {
            bool first = true;
            while (true)
            {
                int got = await _stream.ReadAtLeastAsync(lengthField, lengthField.Length, throwOnEndOfStream: false, _stop.Token).ConfigureAwait(false);
                if (got < lengthField.Length)
                {
                    Terminate(got == 0
                        ? new SftpException(SftpStatusCode.ConnectionLost, "The SFTP server closed the channel.")
                        : new SftpProtocolException("The SFTP server closed the channel inside a packet."));
                    return;
                }

                uint length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(lengthField);
                SftpFraming.CheckLength(length, _maxReceiveLength);
                byte[] packet = ArrayPool<byte>.Shared.Rent((int)length);
                bool kept = false;
                try
                {
                    if (await _stream.ReadAtLeastAsync(packet.AsMemory(0, (int)length), (int)length, throwOnEndOfStream: false, _stop.Token).ConfigureAwait(false) < length)
                    {
                        Terminate(new SftpProtocolException("The SFTP server closed the channel inside a packet."));
                        return;
                    }

                    kept = Dispatch(packet, (int)length, first);
                    first = false;
                }
                finally
                {
                    if (!kept)
                    {
                        ArrayPool<byte>.Shared.Return(packet);
                    }
                }
            }
        }
        catch (Exception e)
        {
            Terminate(e);
        }
    }

    /// <summary>Hands one packet to its request; true when the reply took <paramref name="packet"/> (it returns it to the pool).</summary>
    private bool Dispatch(byte[] packet, int length, bool first)
    {
        var type = (SftpPacketType)packet[0];
        if (first)
        {
            if (type != SftpPacketType.Version)
            {
                throw new SftpProtocolException($"SFTP server sent {type} before VERSION");
            }

            var reader = new SftpPacketReader(packet.AsSpan(1, length - 1));
            _hello.TrySetResult(SftpHello.Read(ref reader));
            return false;
        }

        if (type is not (SftpPacketType.Status or SftpPacketType.Handle or SftpPacketType.Data or SftpPacketType.Name or SftpPacketType.Attrs or SftpPacketType.ExtendedReply))
        {
            throw new SftpProtocolException($"SFTP server sent a packet of type {(byte)type}, not a reply");
        }

        if (length < 5)
        {
            throw new SftpProtocolException("SFTP reply without a request id");
        }

        uint id = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(1, 4));
        Volatile.Write(ref _lastReplyTicks, _scheduler.Now.UtcTicks);
        if (!_pending.TryRemove(id, out Pending? pending))
        {
            throw new SftpProtocolException($"SFTP server answered request id {id}, which is not outstanding");
        }

        var reply = new SftpReply(type, packet, 5, length - 5);
        if (!pending.TrySetResult(reply))
        {
            // Nobody waits any more (cancelled): the buffer goes back with the reply.
            reply.Dispose();
        }

        return true;
    }

    /// <summary>Queues a packet (owned by the session from now on) and, when nobody is sending, sends the queue.</summary>
    private void Send(SftpPacketWriter packet)
    {
        _outgoing.Enqueue(packet);
        if (_sending.Wait(0))
        {
            _ = SendQueuedAsync(); // catches everything
        }
    }

    /// <summary>
    /// Holding <see cref="_sending"/>: writes what is queued (small packets coalesced into one write)
    /// until the queue is empty, then lets go, taking over again if a packet came meanwhile. Runs on the
    /// caller of <see cref="Send"/> until a write has to wait. After a failure, drops what is queued.
    /// </summary>
    private async Task SendQueuedAsync()
    {
        byte[] batch = ArrayPool<byte>.Shared.Rent(BatchSize);
        try
        {
            do
            {
                int used = 0;
                while (_outgoing.TryDequeue(out SftpPacketWriter? packet))
                {
                    using (packet)
                    {
                        if (Volatile.Read(ref _failure) is not null)
                        {
                            continue;
                        }

                        ReadOnlyMemory<byte> bytes = packet.Finish();
                        if (bytes.Length <= BatchSize - used)
                        {
                            bytes.CopyTo(batch.AsMemory(used));
                            used += bytes.Length;
                            continue;
                        }

                        if (used > 0)
                        {
                            await _stream.WriteAsync(batch.AsMemory(0, used)).ConfigureAwait(false);
                            used = 0;
                        }

                        if (bytes.Length <= BatchSize)
                        {
                            bytes.CopyTo(batch);
                            used = bytes.Length;
                        }
                        else
                        {
                            await _stream.WriteAsync(bytes).ConfigureAwait(false);
                        }
                    }
                }

                if (used > 0)
                {
                    await _stream.WriteAsync(batch.AsMemory(0, used)).ConfigureAwait(false);
                }

                _sending.Release();
            }
            while (!_outgoing.IsEmpty && _sending.Wait(0));
        }
        catch (Exception e)
        {
            Terminate(e);
            _sending.Release();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
        }
    }

    private void DropQueued()
    {
        while (_outgoing.TryDequeue(out SftpPacketWriter? packet))
        {
            packet.Dispose();
        }
    }

    /// <summary>
    /// A request waiting for its reply. Abandoned by a cancelled waiter: the reply, once it comes,
    /// is disposed, and a HANDLE it carries is closed so a cancelled open leaves nothing open.
    /// </summary>
    private sealed class Pending(SftpChannelSession owner, long startedTicks) : TaskCompletionSource<SftpReply>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        /// <summary>When the request was queued, in <see cref="DateTimeOffset.UtcTicks"/> of the session's scheduler.</summary>
        public long StartedTicks => startedTicks;

        public void Abandon() => Task.ContinueWith(
            static (t, state) =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    ((SftpChannelSession)state!).DropAbandoned(t.Result);
                }
            },
            owner,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void StartWatchdog()
    {
        if (_replyTimeout <= TimeSpan.Zero || _replyTimeout == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        Volatile.Write(ref _lastReplyTicks, _scheduler.Now.UtcTicks);

        // Checked four times per timeout: a silent server is noticed between 1 and 1.25 timeouts after its last reply.
        TimeSpan period = _replyTimeout / 4;
        IDisposable timer = _scheduler.Schedule(period, again =>
        {
            if (Volatile.Read(ref _failure) is null && !CheckReplies())
            {
                again(period);
            }
        });
        if (Interlocked.CompareExchange(ref _watchdog, timer, null) is not null || Volatile.Read(ref _failure) is not null)
        {
            timer.Dispose();
        }
    }

    // True when the server was found silent and the session ended.
    private bool CheckReplies()
    {
        long now = _scheduler.Now.UtcTicks;
        long oldest = long.MaxValue;
        foreach (KeyValuePair<uint, Pending> entry in _pending)
        {
            oldest = Math.Min(oldest, entry.Value.StartedTicks);
        }

        long timeout = _replyTimeout.Ticks;
        if (oldest == long.MaxValue || now - oldest < timeout || now - Volatile.Read(ref _lastReplyTicks) < timeout)
        {
            return false;
        }

        Terminate(new SftpException(
            SftpStatusCode.ConnectionLost,
            $"The SFTP server sent no reply for {_replyTimeout.TotalSeconds:0.###} s while requests were outstanding.",
            new TimeoutException("SFTP reply timeout.")));

        // Closing the channel makes the server close every handle of the session.
        _ = _stream.DisposeAsync().AsTask().ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return true;
    }

    private void DropAbandoned(SftpReply reply)
    {
        using (reply)
        {
            if (reply.Type != SftpPacketType.Handle)
            {
                return;
            }

            try
            {
                SftpPacketReader reader = reply.Reader();
                byte[] handle = SftpHandle.Read(ref reader);
                (SftpPacketWriter close, uint id) = Start(SftpPacketType.Close);
                close.WriteBytes(handle);
                SftpTasks.Observe(RequestAsync(close, id, CancellationToken.None));
            }
            catch (Exception e) when (e is SftpProtocolException or SftpException)
            {
            }
        }
    }
}
