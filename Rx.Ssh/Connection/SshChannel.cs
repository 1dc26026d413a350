using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Messages;
using Rx.Ssh.Messages.Connection;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Connection;

/// <summary>
/// One multiplexed channel (RFC 4254 section 5) with real flow control in both directions.
/// </summary>
/// <remarks>
/// Receive: the dispatch loop queues data in pooled buffers (a large packet's own buffer, taken from the transport; small ones copied); the window is given
/// back only in <c>Consumed</c>, i.e. when the consumer has taken the data, once half of
/// it is used. The queue is unbounded in count but bounded in bytes by the window: a peer that
/// sends past the window is a protocol error. Requests are bounded by <see cref="ChannelEventQueue"/>
/// (the dispatch loop stops reading while too many wait for the consumer). Send: <see cref="WriteAsync"/> waits for window and
/// splits at the peer's maximum packet size; one writer at a time keeps data in order.
/// </remarks>
internal sealed class SshChannel
{
    private readonly SshConnection _connection;
    private readonly ChannelEventQueue _events = new();
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<TaskCompletionSource<bool>> _pendingRequests = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly object _gate = new();
    private long _activity;

    // Made once: SendIfAsync runs it for every DATA packet, and a lambda per packet would allocate.
    private readonly Func<bool> _closeNotSent;
    private long _receiveWindow;
    private long _consumed;
    private long _sendWindow;
    private TaskCompletionSource? _windowWaiter;
    private bool _confirmed;
    private bool _openFailed;
    private bool _eofSent;
    private bool _closeSent;
    private bool _closeReceived;
    private Exception? _failure;
    private uint _windowSize;

    public SshChannel(SshConnection connection, uint localId, string type, uint windowSize, uint maxPacket)
    {
        _connection = connection;
        LocalId = localId;
        ChannelType = type;
        _windowSize = windowSize;
        LocalMaxPacket = maxPacket;
        _receiveWindow = windowSize;
        _closeNotSent = () => !_closeSent;
    }

    public uint LocalId { get; }

    /// <summary>Counts data packets either way and channel requests: what <see cref="ChannelTimeouts"/> watches.</summary>
    public long Activity => Volatile.Read(ref _activity);

    /// <summary>What the peer sent on this channel, for the line logged when it closes (written on the dispatch loop only).</summary>
    public ChannelReceiveCounts Received { get; } = new();

    /// <summary>The connection the channel belongs to.</summary>
    public SshConnection Connection => _connection;

    public uint RemoteId { get; private set; }

    public string ChannelType { get; }

    /// <summary>The receive window: initially what the open offered, raised by <see cref="GrowWindow"/>, never lowered.</summary>
    public uint WindowSize => Volatile.Read(ref _windowSize);

    public uint LocalMaxPacket { get; }

    public uint RemoteMaxPacket { get; private set; }

    /// <summary>The incoming events, for the one consumer; taking a request event out frees its room (see <see cref="ChannelEventQueue"/>).</summary>
    public ChannelEventQueue Events => _events;

    public Task Opened => _opened.Task;

    /// <summary>Completes once CLOSE went both ways (or the connection ended).</summary>
    public Task Closed => _closed.Task;

    /// <summary>Smallest maximum packet size a peer may announce (as x/crypto/ssh): less cannot carry a byte of data with its header.</summary>
    public const uint MinRemoteMaxPacket = 9;

    /// <summary>
    /// Most data bytes we put in one CHANNEL_DATA whatever the peer announces: every transport must
    /// take a 32768-byte payload (RFC 4253 section 6.1), not necessarily a larger one.
    /// </summary>
    public const int MaxOutgoingData = 32768;

    /// <summary>True once the channel is open both ways (the peer confirmed ours, or we accepted the peer's).</summary>
    public bool IsConfirmed => _confirmed;

    // ---- called by the dispatch loop -------------------------------------------------------

    /// <summary>
    /// The peer's OPEN_CONFIRMATION (or, for a channel the peer opened, the values of its
    /// CHANNEL_OPEN). Only once, only for a channel that is opening: a second confirmation would
    /// rewrite the remote id and window of a live channel.
    /// </summary>
    public void OnOpenConfirmed(uint remoteId, uint window, uint maxPacket)
    {
        if (_confirmed || _openFailed)
        {
            throw new SshConnectionException(DisconnectReason.ProtocolError, $"The peer confirmed channel {LocalId}, which is already open.");
        }

        if (maxPacket < MinRemoteMaxPacket)
        {
            throw new SshConnectionException(DisconnectReason.ProtocolError, $"The peer announced a maximum packet size of {maxPacket} on channel {LocalId}; the least allowed is {MinRemoteMaxPacket}.");
        }

        RemoteId = remoteId;
        RemoteMaxPacket = maxPacket;
        _sendWindow = window;
        _confirmed = true;
        _opened.TrySetResult();
    }

    /// <summary>The peer's OPEN_FAILURE: only for a channel that is opening; the channel leaves the table.</summary>
    public void OnOpenFailed(Exception error)
    {
        if (_confirmed || _openFailed)
        {
            throw new SshConnectionException(DisconnectReason.ProtocolError, $"The peer refused channel {LocalId}, which is already open.");
        }

        _openFailed = true;
        _opened.TrySetException(error);
        _events.TryComplete(error);
        Finish(error);
    }

    public void OnData(uint? dataType, ReadOnlySpan<byte> data)
    {
        if (_closeSent)
        {
            return; // data racing our CLOSE is dropped, as the protocol allows
        }

        if (data.Length > LocalMaxPacket)
        {
            throw new SshConnectionException(DisconnectReason.ProtocolError, $"The peer sent {data.Length} bytes in one packet on channel {LocalId}; the maximum is {LocalMaxPacket}.");
        }

        long left = Interlocked.Add(ref _receiveWindow, -data.Length);
        if (left < 0)
        {
            throw new SshConnectionException(DisconnectReason.ProtocolError, $"The peer sent more data than the window allows on channel {LocalId}.");
        }

        Interlocked.Increment(ref _activity);
        Received.Count(data.Length, WindowSize - left);

        if (data.Length == 0)
        {
            return;
        }

        // A large payload keeps the packet's own buffer (no copy); a small one is copied into a buffer its size.
        if (!_connection.Transport.TryTakeReceived(data, out byte[] buffer, out int offset))
        {
            buffer = ArrayPool<byte>.Shared.Rent(data.Length);
            data.CopyTo(buffer);
            offset = 0;
        }
        else
        {
            Received.CountKeptWhole();
        }

        var e = new ChannelEvent(dataType is null ? ChannelEventKind.Data : ChannelEventKind.ExtendedData, buffer, data.Length, dataType ?? 0, Offset: offset);
        if (!_events.TryWrite(e))
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void OnWindowAdjust(uint bytes)
    {
        TaskCompletionSource? waiter;
        lock (_gate)
        {
            _sendWindow += bytes;
            if (_sendWindow > uint.MaxValue)
            {
                throw new SshConnectionException(DisconnectReason.ProtocolError, $"Window overflow on channel {LocalId}.");
            }

            waiter = _windowWaiter;
            _windowWaiter = null;
        }

        waiter?.TrySetResult();
    }

    public void OnEof() => _events.TryWrite(new ChannelEvent(ChannelEventKind.Eof));

    /// <summary>
    /// Queues a request for the consumer. Null, or a task the dispatch loop must await before
    /// reading on: too many request bytes wait for a slow consumer. Requests racing our CLOSE are
    /// dropped (no reply goes out after it anyway).
    /// </summary>
    public Task? OnRequest(string type, bool wantReply, ReadOnlySpan<byte> data)
    {
        if (_closeSent)
        {
            return null;
        }

        Interlocked.Increment(ref _activity);
        Task? room = _events.TryWriteRequest(new ChannelEvent(ChannelEventKind.Request, RequestType: type, RequestData: data.ToArray(), WantReply: wantReply), out long queued);
        if (room is not null)
        {
            Connection.Loggers.Connection.LogDebug(SshLogEvents.Connection.ReadingPaused, "Reading paused: channel {Channel} holds {Bytes} bytes of requests its consumer has not taken", LocalId, queued);
        }

        return room;
    }

    public void OnRequestReply(bool success)
    {
        TaskCompletionSource<bool>? pending;
        lock (_gate)
        {
            _pendingRequests.TryDequeue(out pending);
        }

        if (pending is null)
        {
            throw new SshConnectionException(DisconnectReason.ProtocolError, $"Unexpected channel request reply on channel {LocalId}.");
        }

        pending.TrySetResult(success);
    }

    public void OnClose()
    {
        bool sendClose;
        lock (_gate)
        {
            _closeReceived = true;
            sendClose = !_closeSent;
            _closeSent = true;

            // Queued under the gate: a write still waiting for room in the transport checks
            // _closeSent under it too (SendGatedAsync), so no DATA can follow this CLOSE.
            if (sendClose)
            {
                _connection.SendFromDispatch(ConnectionMessages.ChannelOnly(MessageNumber.ChannelClose, RemoteId));
            }
        }

        _events.TryWrite(new ChannelEvent(ChannelEventKind.Close));
        _events.TryComplete();
        _events.Release();

        Finish(new SshChannelException("The channel is closed."));
    }

    /// <summary>The connection ended: wake everyone up with <paramref name="error"/>.</summary>
    public void Fail(Exception error)
    {
        _opened.TrySetException(error);
        _events.TryComplete(error);
        Finish(error);
    }

    private void Finish(Exception error)
    {
        TaskCompletionSource? waiter;
        TaskCompletionSource<bool>[] pending;
        lock (_gate)
        {
            _failure ??= error;
            waiter = _windowWaiter;
            _windowWaiter = null;
            pending = [.. _pendingRequests];
            _pendingRequests.Clear();
        }

        waiter?.TrySetException(error);
        foreach (TaskCompletionSource<bool> p in pending)
        {
            p.TrySetResult(false);
        }

        _events.Release();
        _connection.RemoveChannel(this);
        _closed.TrySetResult();
    }

    // ---- called by consumers and producers -------------------------------------------------

    /// <summary>The consumer has taken the event: return the buffer and give window back once a quarter of it is used.</summary>
    public void Consumed(in ChannelEvent e)
    {
        if (e.Buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(e.Buffer);
            Consumed(e.Length);
        }
    }

    /// <summary>
    /// <paramref name="bytes"/> of received data were consumed: once a quarter of the window has been,
    /// it goes back to the peer in one WINDOW_ADJUST. A quarter, not half: the sender then always
    /// has at least three quarters of the window to keep in flight, which is what bounds a channel
    /// on a link with a round trip (OpenSSH adjusts after three packets or half the window, so its
    /// sender has nearly all of it), for one adjust per quarter window (2,048 per GiB at 2 MiB).
    /// </summary>
    public void Consumed(int bytes)
    {
        long consumed = Interlocked.Add(ref _consumed, bytes);
        if (consumed >= WindowSize / 4 && !_closeSent && _failure is null)
        {
            consumed = Interlocked.Exchange(ref _consumed, 0);
            if (consumed > 0)
            {
                Interlocked.Add(ref _receiveWindow, consumed);
                _connection.SendFromDispatch(ConnectionMessages.WindowAdjust(RemoteId, (uint)consumed));
            }
        }
    }

    /// <summary>
    /// Raises the receive window by up to <paramref name="bytes"/> (never above <paramref name="limit"/>):
    /// the room is added to what the peer may send before it is announced in one WINDOW_ADJUST, so
    /// the peer never overruns it; consumption then keeps the larger window topped up. Nothing is
    /// sent once CLOSE went out or the channel failed.
    /// </summary>
    /// <returns>The window now.</returns>
    public uint GrowWindow(uint bytes, uint limit)
    {
        uint old, next;
        do
        {
            old = Volatile.Read(ref _windowSize);
            next = (uint)Math.Min((ulong)old + bytes, limit);
            if (next <= old || _closeSent || _failure is not null)
            {
                return old;
            }
        }
        while (Interlocked.CompareExchange(ref _windowSize, next, old) != old);

        Interlocked.Add(ref _receiveWindow, next - old);
        _connection.SendFromDispatch(ConnectionMessages.WindowAdjust(RemoteId, next - old));
        _connection.Loggers.Connection.LogDebug(SshLogEvents.Connection.WindowGrown, "Channel {Channel}: receive window grown to {Window} bytes", LocalId, next);
        return next;
    }

    /// <summary>Sends <paramref name="data"/>, waiting for window; stderr when <paramref name="dataType"/> is 1.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, uint? dataType, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (!data.IsEmpty)
            {
                ThrowIfClosedForSending();
                int chunk;
                Task? wait = null;
                lock (_gate)
                {
                    chunk = (int)Math.Min(Math.Min(_sendWindow, Math.Min(RemoteMaxPacket, MaxOutgoingData)), data.Length);
                    if (chunk > 0)
                    {
                        _sendWindow -= chunk;
                    }
                    else
                    {
                        _windowWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        wait = _windowWaiter.Task;
                    }
                }

                if (wait is not null)
                {
                    await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                Interlocked.Increment(ref _activity);
                using SshBuffer packet = ConnectionMessages.Data(RemoteId, dataType, data.Span[..chunk]);
                await SendGatedAsync(packet, data: true, cancellationToken).ConfigureAwait(false);
                data = data[chunk..];
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Sends a channel request; with <paramref name="wantReply"/> waits for and returns the peer's answer.</summary>
    public async Task<bool> SendRequestAsync(string type, bool wantReply, Action<SshWriter>? body, CancellationToken cancellationToken)
    {
        using SshBuffer packet = ConnectionMessages.ChannelRequest(RemoteId, type, wantReply);
        body?.Invoke(packet.Writer);
        Interlocked.Increment(ref _activity);
        TaskCompletionSource<bool>? reply = null;
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosedForSending(data: false);
            if (wantReply)
            {
                reply = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                lock (_gate)
                {
                    _pendingRequests.Enqueue(reply);
                }
            }

            await SendGatedAsync(packet, data: false, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }

        return reply is null || await reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers a request the peer sent with want-reply.</summary>
    public void Reply(bool success)
    {
        if (!_closeSent)
        {
            _connection.SendFromDispatch(ConnectionMessages.ChannelOnly(success ? MessageNumber.ChannelSuccess : MessageNumber.ChannelFailure, RemoteId));
        }
    }

    public async ValueTask SendEofAsync(CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_eofSent || _closeSent)
            {
                return;
            }

            _eofSent = true;
            using SshBuffer packet = ConnectionMessages.ChannelOnly(MessageNumber.ChannelEof, RemoteId);
            await _connection.Transport.SendIfAsync(packet, _gate, _closeNotSent, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Sends CLOSE (after any data already queued) unless it went already; does not wait for the peer's.</summary>
    public async ValueTask CloseAsync()
    {
        if (!_opened.Task.IsCompletedSuccessfully)
        {
            return;
        }

        lock (_gate)
        {
            if (_closeSent)
            {
                return;
            }

            _closeSent = true;
        }

        _events.Release(); // whoever stopped reading must not hold the dispatch loop, which has the peer's CLOSE to read
        try
        {
            using SshBuffer packet = ConnectionMessages.ChannelOnly(MessageNumber.ChannelClose, RemoteId);
            await _connection.Transport.SendAsync(packet, CancellationToken.None).ConfigureAwait(false);
        }
        catch (SshException)
        {
            // The connection is gone; the channel is closed either way.
            Fail(new SshChannelException("The connection is closed."));
        }

        if (_closeReceived)
        {
            Finish(new SshChannelException("The channel is closed."));
        }
    }

    /// <summary>
    /// Queues a message of this channel unless CLOSE went out while it waited for room in the
    /// transport (the peer's CLOSE answered meanwhile); then throws as a closed channel does.
    /// </summary>
    private async ValueTask SendGatedAsync(SshBuffer packet, bool data, CancellationToken cancellationToken)
    {
        if (!await _connection.Transport.SendIfAsync(packet, _gate, _closeNotSent, cancellationToken).ConfigureAwait(false))
        {
            ThrowIfClosedForSending(data);
            throw new SshChannelException("The channel is closed for sending.");
        }
    }

    /// <summary>Data may not follow EOF; requests (exit-status after EOF) may.</summary>
    private void ThrowIfClosedForSending(bool data = true)
    {
        if (_failure is not null)
        {
            throw new SshChannelException("The channel is closed.", _failure);
        }

        if (_closeSent || (data && _eofSent))
        {
            throw new SshChannelException("The channel is closed for sending.");
        }
    }
}
