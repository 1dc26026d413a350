using System.Buffers;
using System.IO.Pipelines;
using Rx.Ssh.Connection;

namespace Rx.Ssh;

/// <summary>
/// One open channel of any type as a duplex byte stream (RFC 4254 section 5): what the peer sends
/// as channel data is read, what is written goes out as channel data. Get one from
/// <see cref="SshConnection.OpenChannelAsync(string, ReadOnlyMemory{byte}, SshChannelSettings?, CancellationToken)"/>,
/// <see cref="SshPendingChannel.Accept()"/>, <see cref="SshClientConnection.OpenSubsystemAsync(string, CancellationToken)"/>
/// or a server subsystem handler (<see cref="SshServerSubsystem.Stream"/>).
/// </summary>
/// <remarks>
/// <para>
/// Three ways to read, of which a channel uses one for its whole life (the first one used; another
/// throws <see cref="InvalidOperationException"/>, and so do two reads at once): this
/// <see cref="Stream"/>, the <see cref="Pipe"/> view, or the <see cref="Events"/> observable.
/// The stream and the pipe read channel data only: extended data is dropped (its window given
/// back, so an unread stderr cannot stall the channel) and requests wanting a reply are refused;
/// <see cref="Events"/> sees everything.
/// </para>
/// <para>
/// Flow control, end to end: the peer may send at most <see cref="WindowSize"/> bytes nobody has
/// read; window goes back only as data is read (from the stream, the pipe, or when an event's
/// <c>OnNext</c> returns), so a reader that stops reading stops the sender and the channel never
/// holds more than the window. Writes wait for the peer's window and are split at its maximum packet size.
/// </para>
/// <para>
/// Half-close: <see cref="CompleteWritingAsync"/> sends EOF while reading goes on; a read returns
/// 0 once the peer sent EOF (or closed) while writing still works until the channel closes.
/// Disposing sends CLOSE (after data already handed to the connection); the connection ending fails
/// reads and writes with <see cref="SshConnectionException"/>. Safe for one reader and one writer at a time.
/// </para>
/// </remarks>
public sealed partial class SshChannelStream : Stream
{
    private const int NoForm = 0;
    private const int StreamForm = 1;
    private const int PipeForm = 2;
    private const int EventsForm = 3;

    private readonly SshChannel _channel;
    private readonly ChannelReplyOrder _replies;
    private readonly object _subscriberGate = new();
    private int _form;
    private int _reading;
    private ChannelEvent _current;
    private int _offset;
    private bool _inputEnded;
    private IDuplexPipe? _pipe;
    private IObservable<SshChannelEvent>? _events;
    private Subscriber? _subscriber;
    private int _disposed;

    internal SshChannelStream(SshChannel channel)
    {
        _channel = channel;
        _replies = new ChannelReplyOrder(channel);
    }

    /// <summary>The channel type (e.g. <c>session</c>, <c>direct-tcpip</c>).</summary>
    public string ChannelType => _channel.ChannelType;

    /// <summary>Our id for the channel.</summary>
    public uint LocalChannelId => _channel.LocalId;

    /// <summary>The peer's id for the channel.</summary>
    public uint RemoteChannelId => _channel.RemoteId;

    /// <summary>Our receive window: the most unread bytes the peer may send (and the channel may hold).</summary>
    public uint WindowSize => _channel.WindowSize;

    /// <summary>
    /// Raises <see cref="WindowSize"/> by <paramref name="bytes"/> (capped at
    /// <see cref="SshChannelSettings.MaxWindowSize"/>) and tells the peer at once, so it may have
    /// that much more unread data in flight; from then on reading keeps the larger window topped up
    /// (at half of it, as before). The window never shrinks: memory held by the channel is bounded by
    /// the new size. For throughput over long paths (bandwidth × round trip above the window), as
    /// HPN-SSH grows its windows; Rx.Ssh.Sftp grows its channel when a transfer asks for more reads in
    /// flight than the window holds. Does nothing once the channel is closing.
    /// </summary>
    /// <param name="bytes">How many bytes to add; positive.</param>
    /// <returns>The window now.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bytes"/> is zero or negative.</exception>
    public uint GrowWindow(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        return _channel.GrowWindow((uint)bytes, SshChannelSettings.MaxWindowSize);
    }

    /// <summary>The largest data packet we accept.</summary>
    public uint MaxPacketSize => _channel.LocalMaxPacket;

    /// <summary>
    /// Where a read that had to wait goes on once data (or the end) arrives. False (the default):
    /// on a thread-pool thread, as any awaited I/O. True: on the connection's dispatch loop, as the
    /// packet is delivered, before that loop reads the next one; one thread switch less per
    /// wake-up, which is what a bulk reader that does little per read gains from (Rx.Ssh.Sftp's
    /// client and the forwarding splices use it). Applies to
    /// all three ways of reading (for <see cref="Events"/>, <c>OnNext</c> runs there). The code that
    /// runs after the read must not block or do long work: meanwhile the connection reads nothing,
    /// on any channel; hand such work to another thread (or use <c>ObserveOn</c>). May be changed at any
    /// time; it takes effect at the next wait.
    /// </summary>
    public bool InlineReadContinuations { get; set; }

    /// <summary>The largest data packet the peer accepts (writes are split at it).</summary>
    public uint RemoteMaxPacketSize => _channel.RemoteMaxPacket;

    /// <summary>Completes once CLOSE went both ways, or the connection ended. Never faults.</summary>
    public Task Closed => _channel.Closed;

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <summary>Not supported.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override long Length => throw new NotSupportedException();

    /// <summary>Not supported.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Reads channel data into <paramref name="buffer"/>, waiting until some arrives. Returns 0 once
    /// the peer sent EOF or closed the channel (and every later time). Giving window back as it reads.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another read is in progress, or the channel is read through <see cref="Pipe"/> or <see cref="Events"/>.</exception>
    /// <exception cref="SshConnectionException">The connection ended.</exception>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ReadCoreAsync(StreamForm, buffer, cancellationToken);

    /// <inheritdoc cref="ReadAsync(Memory{byte}, CancellationToken)"/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc cref="ReadAsync(Memory{byte}, CancellationToken)"/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc cref="ReadAsync(Memory{byte}, CancellationToken)"/>
    public override int Read(Span<byte> buffer)
    {
        byte[] rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            int n = ReadAsync(rented.AsMemory(0, buffer.Length)).AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, n).CopyTo(buffer);
            return n;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Sends <paramref name="buffer"/> as channel data, waiting for the peer's window.</summary>
    /// <exception cref="SshChannelException">EOF was sent already, or the channel is closed.</exception>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _channel.WriteAsync(buffer, null, cancellationToken);

    /// <inheritdoc cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>
    public override void Write(ReadOnlySpan<byte> buffer) => WriteAsync(buffer.ToArray()).AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Sends <paramref name="data"/> as extended data of <paramref name="dataType"/> (1 is stderr),
    /// in order with <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>, waiting for window.
    /// </summary>
    /// <exception cref="SshChannelException">EOF was sent already, or the channel is closed.</exception>
    public ValueTask WriteExtendedAsync(uint dataType, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        _channel.WriteAsync(data, dataType, cancellationToken);

    /// <summary>Nothing to do: every write is handed to the connection before it completes.</summary>
    public override void Flush()
    {
    }

    /// <inheritdoc cref="Flush"/>
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Sends EOF (after the data written before): the peer reads to its end, and writing here is
    /// over; reading goes on. Later calls do nothing.
    /// </summary>
    /// <exception cref="SshConnectionException">The connection ended.</exception>
    public ValueTask CompleteWritingAsync(CancellationToken cancellationToken = default) => _channel.SendEofAsync(cancellationToken);

    /// <summary>
    /// Sends a channel request with <paramref name="data"/> (type-specific, wire format); with
    /// <paramref name="wantReply"/> waits for and returns the peer's answer, else returns true once sent.
    /// </summary>
    /// <exception cref="SshChannelException">The channel is closed.</exception>
    public Task<bool> SendRequestAsync(string requestType, ReadOnlyMemory<byte> data, bool wantReply, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestType);
        return _channel.SendRequestAsync(requestType, wantReply, data.IsEmpty ? null : w => w.WriteRaw(data.Span), cancellationToken);
    }

    /// <summary>Not supported.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <summary>Not supported.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Sends CLOSE and waits until it is handed to the connection (not for the peer's CLOSE: see <see cref="Closed"/>).</summary>
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _channel.CloseAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Sends CLOSE without waiting (see <see cref="DisposeAsync"/>).</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            IO.TaskFaults.Observe(_channel.CloseAsync().AsTask());
        }

        base.Dispose(disposing);
    }

    /// <summary>The one read path of the stream and the pipe: copies data out, giving window back for what it took.</summary>
    private async ValueTask<int> ReadCoreAsync(int form, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        Claim(form);
        if (Interlocked.Exchange(ref _reading, 1) != 0)
        {
            throw new InvalidOperationException("Another read on this channel is in progress; read it from one place at a time.");
        }

        try
        {
            // One read takes every data packet already received, up to the buffer: a splice then writes
            // its socket once for several packets instead of once per packet.
            int total = 0;
            while (true)
            {
                if (_current.Buffer is { } held)
                {
                    if (buffer.IsEmpty)
                    {
                        return total;
                    }

                    int n = Math.Min(buffer.Length, _current.Offset + _current.Length - _offset);
                    held.AsSpan(_offset, n).CopyTo(buffer.Span);
                    _offset += n;
                    if (_offset == _current.Offset + _current.Length)
                    {
                        _current = default;
                        _offset = 0;
                        ArrayPool<byte>.Shared.Return(held);
                    }

                    _channel.Consumed(n);
                    buffer = buffer[n..];
                    total += n;
                    continue;
                }

                if (_inputEnded)
                {
                    return total;
                }

                if (!_channel.Events.TryRead(out ChannelEvent e))
                {
                    if (total > 0)
                    {
                        return total;
                    }

                    if (!await WaitForEventsAsync(cancellationToken).ConfigureAwait(false))
                    {
                        _inputEnded = true;
                    }

                    continue;
                }

                switch (e.Kind)
                {
                    case ChannelEventKind.Data:
                        _current = e;
                        _offset = e.Offset;
                        break;
                    case ChannelEventKind.ExtendedData:
                        _channel.Consumed(e); // nobody reads it here: drop it, window back
                        break;
                    case ChannelEventKind.Request:
                        RefuseIfWanted(e);
                        break;
                    case ChannelEventKind.Eof:
                    case ChannelEventKind.Close:
                        _inputEnded = true;

                        // Requests may follow EOF (exit-status) and CLOSE must be read: keep draining for nobody.
                        IO.TaskFaults.Observe(DrainAsync());
                        break;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }

    /// <summary>After the end of input on the stream or pipe: takes what else comes (requests refused, stray data dropped) until the channel closes.</summary>
    private async Task DrainAsync()
    {
        try
        {
            while (await _channel.Events.WaitToReadAsync().ConfigureAwait(false))
            {
                while (_channel.Events.TryRead(out ChannelEvent e))
                {
                    if (e.Kind == ChannelEventKind.Request)
                    {
                        RefuseIfWanted(e);
                    }
                    else
                    {
                        _channel.Consumed(e);
                    }
                }
            }
        }
        catch (SshException)
        {
            // The connection ended; nothing left to drain.
        }
    }

    /// <summary>Waits for an event; the connection's end is thrown as a fresh exception each time (the queue holds one instance).</summary>
    private async ValueTask<bool> WaitForEventsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await (InlineReadContinuations ? _channel.Events.WaitToReadInlineAsync(cancellationToken) : _channel.Events.WaitToReadAsync(cancellationToken)).ConfigureAwait(false);
        }
        catch (SshConnectionException e)
        {
            throw new SshConnectionException(e.Reason, e.Message, e.IsLocal, e);
        }
    }

    private void RefuseIfWanted(in ChannelEvent e)
    {
        if (e.WantReply)
        {
            _replies.Reserve()(false);
        }
    }

    private void Claim(int form)
    {
        int previous = Interlocked.CompareExchange(ref _form, form, NoForm);
        if (previous != NoForm && previous != form)
        {
            throw new InvalidOperationException($"This channel is read through its {FormName(previous)}; read it through one of Stream, Pipe and Events only.");
        }
    }

    private static string FormName(int form) => form switch
    {
        StreamForm => "Stream",
        PipeForm => "Pipe",
        _ => "Events",
    };
}
