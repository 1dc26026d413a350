using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Algorithms.Ciphers;
using Rx.Ssh.Messages;
using Rx.Ssh.Messages.Transport;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Transport;

/// <summary>
/// The SSH transport layer (RFC 4253) over one stream, for either role: version exchange, the
/// binary packet protocol, key exchange and re-exchange, strict kex, ext-info, disconnect.
/// </summary>
/// <remarks>
/// One reader: the layer above calls <see cref="ReceiveAsync"/> in a loop; key exchange runs
/// inside that call when the peer's KEXINIT arrives, so the read side never blocks on a consumer.
/// One writer: a loop drains two queues, key exchange packets first; while a key exchange is in
/// progress only those go out. Upper layers queue through <see cref="SendAsync"/> (waits while
/// the queued bytes are over the budget) or <see cref="Send"/> (never waits; for the read loop).
/// Back-pressure on the read loop: <see cref="ReceiveAsync"/> does not read the next packet while
/// the replies queued by <see cref="Send"/> are over <see cref="ReplyLimit"/> (a peer that does
/// not read stops being read, as OpenSSH does), except while a key exchange holds the queue; past
/// <see cref="ReplyHardLimit"/> the connection ends with PROTOCOL_ERROR.
/// </remarks>
internal sealed partial class SshTransport : IAsyncDisposable
{
    /// <summary>Bytes user sends may queue before <see cref="SendAsync"/> waits.</summary>
    public const int SendBudget = 1024 * 1024;

    /// <summary>Reply bytes (see <see cref="Send"/>) queued at which the read loop stops reading.</summary>
    public const int ReplyLimit = 1024 * 1024;

    /// <summary>Reply bytes queued past which the connection is ended (the reader cannot pause during a key exchange).</summary>
    public const int ReplyHardLimit = 4 * 1024 * 1024;

    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly TransportSettings _settings;
    private readonly Channel<OutgoingPacket> _kexQueue = Channel.CreateUnbounded<OutgoingPacket>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<OutgoingPacket> _queue = Channel.CreateUnbounded<OutgoingPacket>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ByteBudget _budget;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _writer = Task.CompletedTask;
    private Exception? _failure;
    private int _disposed;

    public SshTransport(Stream stream, TransportSettings settings)
    {
        _stream = stream;
        _settings = settings;
        // Zero-byte reads: an idle connection waits for data without holding a 64 KiB buffer (a
        // third of an idle connection's memory otherwise); no measurable cost on bulk transfers.
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true, useZeroByteReads: true));
        // One segment takes a whole flush batch (see FlushThreshold): the pipe writes the stream once per
        // segment, so 64 KiB segments (one full data packet each) meant one socket send per packet.
        _output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: OutputSegmentSize, leaveOpen: true));
        _budget = new ByteBudget(SendBudget, ReplyLimit, ReplyHardLimit, replies =>
            settings.Logger.LogDebug(SshLogEvents.Transport.ReadingPaused, "Reading paused: {Replies} bytes of replies wait for a peer that does not read them", replies));
        LocalVersion = settings.Version;
    }

    public bool IsServer => _settings.IsServer;

    public ILogger Logger => _settings.Logger;

    /// <summary>Our identification string.</summary>
    public string LocalVersion { get; }

    /// <summary>The peer's identification string (after <see cref="StartAsync"/>).</summary>
    public string RemoteVersion { get; private set; } = string.Empty;

    /// <summary>H of the first key exchange.</summary>
    public byte[] SessionId { get; private set; } = [];

    /// <summary>Completes when the transport has shut down, with the error that ended it if any.</summary>
    public Task Closed => _closed.Task;

    /// <summary>The error that ended the connection, once it has ended.</summary>
    public Exception? Failure => _failure;

    /// <summary>
    /// Version exchange and the first key exchange. When it completes both directions use the
    /// negotiated keys and, on the client, the host key has been accepted.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ExchangeVersionsAsync(cancellationToken).ConfigureAwait(false);
            _writer = Task.Run(WriteLoopAsync, CancellationToken.None);
            RequestKeyExchange();
            while (!_firstKexDone)
            {
                ReadOnlyMemory<byte> payload = await ReadPacketAsync(cancellationToken).ConfigureAwait(false);
                // KEXINIT starts the exchange; only harmless transport messages may come before it,
                // anything else fails in the handler while the first exchange is pending.
                await HandleTransportMessageAsync(payload, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            Exception error = await FailAsync(ex).ConfigureAwait(false);
            if (error == ex)
            {
                throw;
            }

            throw error;
        }
    }

    /// <summary>
    /// Returns the next payload for the layers above (message number 50 and up). Transport
    /// messages are handled here, key exchange included. The memory is valid until the next call.
    /// </summary>
    /// <exception cref="SshConnectionException">The connection ended (the peer's DISCONNECT included).</exception>
    public ValueTask<ReadOnlyMemory<byte>> ReceiveAsync(CancellationToken cancellationToken) => ReceiveCoreAsync(throwAtEnd: true, cancellationToken);

    /// <summary>
    /// As <see cref="ReceiveAsync"/>, but the connection's end, orderly or not, returns an empty
    /// payload (never a real one: every packet has a message number) with the reason in
    /// <see cref="Failure"/>, instead of an exception thrown and rethrown up the caller's awaits:
    /// the dispatch loop's form, so that a connection closed by either side throws nothing there.
    /// </summary>
    public ValueTask<ReadOnlyMemory<byte>> ReceiveOrEndAsync(CancellationToken cancellationToken) => ReceiveCoreAsync(throwAtEnd: false, cancellationToken);

    private async ValueTask<ReadOnlyMemory<byte>> ReceiveCoreAsync(bool throwAtEnd, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await _budget.WaitForReplyRoomAsync(cancellationToken).ConfigureAwait(false);
                ReadOnlyMemory<byte> payload = await ReadPacketAsync(cancellationToken).ConfigureAwait(false);
                if (!throwAtEnd && payload.Span[0] == MessageNumber.Disconnect)
                {
                    await FailAsync(PeerDisconnected(payload.Span)).ConfigureAwait(false);
                    return ReadOnlyMemory<byte>.Empty;
                }

                if (await HandleTransportMessageAsync(payload, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                return payload;
            }
        }
        catch (Exception ex)
        {
            Exception error = await FailAsync(ex).ConfigureAwait(false);
            if (!throwAtEnd)
            {
                return ReadOnlyMemory<byte>.Empty;
            }

            if (error == ex)
            {
                throw;
            }

            throw error;
        }
    }

    /// <summary>Queues a payload in order, waiting while too many bytes are already queued.</summary>
    public async ValueTask SendAsync(SshBuffer payload, CancellationToken cancellationToken = default)
    {
        await _budget.AcquireAsync(ByteBudget.Cost(payload.Length), cancellationToken).ConfigureAwait(false);
        Enqueue(_queue, payload, PacketAction.None, reply: false);
    }

    /// <summary>
    /// As <see cref="SendAsync(SshBuffer, CancellationToken)"/>, but once there is room it checks
    /// <paramref name="canSend"/> and queues the payload under <paramref name="gate"/>, so a sender
    /// that queues its last message under the same gate (a channel's CLOSE) is never overtaken by
    /// one that was still waiting for room. False, and nothing queued, when it no longer holds.
    /// </summary>
    public async ValueTask<bool> SendIfAsync(SshBuffer payload, object gate, Func<bool> canSend, CancellationToken cancellationToken)
    {
        int cost = ByteBudget.Cost(payload.Length);
        await _budget.AcquireAsync(cost, cancellationToken).ConfigureAwait(false);
        lock (gate)
        {
            if (!canSend())
            {
                _budget.Release(cost, reply: false);
                return false;
            }

            Enqueue(_queue, payload, PacketAction.None, reply: false);
            return true;
        }
    }

    /// <summary>
    /// Queues a payload in order without waiting (for the read loop's replies and other small
    /// control messages). It counts toward the reply budget that pauses the read loop; past
    /// <see cref="ReplyHardLimit"/> the connection is ended with PROTOCOL_ERROR and this throws.
    /// </summary>
    public void Send(SshBuffer payload)
    {
        if (!_budget.TryAddReply(ByteBudget.Cost(payload.Length)))
        {
            var error = new SshConnectionException(
                DisconnectReason.ProtocolError,
                $"The peer does not read: more than {ReplyHardLimit} bytes of replies are queued for it.");
            _ = FailAsync(error);
            throw error;
        }

        Enqueue(_queue, payload, PacketAction.None, reply: true);
    }

    private void SendKex(SshBuffer payload, PacketAction action = PacketAction.None) => Enqueue(_kexQueue, payload, action, reply: false);

    // Packets on _queue are counted in the budget by the caller (reply says which count); kex packets are not.
    private void Enqueue(Channel<OutgoingPacket> queue, SshBuffer payload, PacketAction action, bool reply)
    {
        byte[] array = payload.Detach(out int length);
        if (!queue.Writer.TryWrite(new OutgoingPacket(array, length, action, reply)))
        {
            ArrayPool<byte>.Shared.Return(array);
            if (queue == _queue)
            {
                _budget.Release(ByteBudget.Cost(length), reply);
            }

            throw new SshConnectionException(DisconnectReason.ConnectionLost, "The connection is closed.", true, _failure);
        }
    }

    /// <summary>
    /// Ends the transport because of <paramref name="error"/>: tells the peer why when the error is
    /// ours, closes the stream, and returns the exception that callers should see.
    /// </summary>
    public Task<Exception> FailAsync(Exception error, bool sendDisconnect = true) => FailAsync(error, sendDisconnect, afterQueued: false);

    // afterQueued: an orderly close (DisposeAsync) puts DISCONNECT behind what is already queued
    // (a channel's last data, a signal, CHANNEL_CLOSE) instead of letting it overtake them.
    private async Task<Exception> FailAsync(Exception error, bool sendDisconnect, bool afterQueued)
    {
        Exception result = Normalize(error);
        if (Interlocked.CompareExchange(ref _failure, result, null) != null)
        {
            // Another caller is ending the transport: let it finish telling the peer why (its
            // DISCONNECT is being written) before this caller goes on to dispose the stream.
            // Bounded, so a caller reached from inside that shutdown cannot wait on itself.
            try
            {
                await _closed.Task.WaitAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }

            return _failure!;
        }

        _budget.Fail(result);
        StopRekeyTimer();
        StopKexTimer();
        if (sendDisconnect && result is SshConnectionException { IsLocal: true } local && local.Reason != DisconnectReason.None && _writer != Task.CompletedTask)
        {
            try
            {
                using var buffer = new SshBuffer();
                new DisconnectMessage(local.Reason, local.Message).WriteTo(buffer);
                if (afterQueued)
                {
                    _budget.AddUnconditionally(ByteBudget.Cost(buffer.Length));
                    Enqueue(_queue, buffer, PacketAction.None, reply: false);
                }
                else
                {
                    SendKex(buffer);
                }
            }
            catch (SshException)
            {
                // The writer is already gone; nothing to tell.
            }
        }

        _kexQueue.Writer.TryComplete();
        _queue.Writer.TryComplete();
        try
        {
            await _writer.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The writer failing or being slow must not stop the shutdown.
        }

        try
        {
            await _shutdown.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // A concurrent dispose got here first; the stream below must still be closed.
        }

        try
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
        }

        ReleaseReceiveKeys();
        _closed.TrySetResult();
        return result;
    }

    private Exception Normalize(Exception error) => error switch
    {
        SshConnectionException => error,
        SshFormatException format => new SshConnectionException(DisconnectReason.ProtocolError, "Malformed packet from peer: " + format.Message, true, format),
        OperationCanceledException => error,
        IOException or System.Net.Sockets.SocketException or ObjectDisposedException =>
            new SshConnectionException(DisconnectReason.ConnectionLost, "Connection lost: " + error.Message, false, error),
        _ => new SshConnectionException(DisconnectReason.ProtocolError, error.Message, true, error),
    };

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await FailAsync(new SshConnectionException(DisconnectReason.ByApplication, "Disconnected by application."), sendDisconnect: true, afterQueued: true).ConfigureAwait(false);
        _shutdown.Dispose();
    }
}
