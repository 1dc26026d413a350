using System.Net;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Keys;
using Rx.Ssh.Messages;
using Rx.Ssh.Messages.Connection;
using Rx.Ssh.Transport;
using Rx.Ssh.Wire;

namespace Rx.Ssh;

/// <summary>
/// An authenticated SSH connection, client or server side: the channel multiplexer of RFC 4254.
/// Dispose it to disconnect; every open channel then ends with an error. Disposal follows the
/// library's one rule (ARCHITECTURE.md, "Disposal"): <see cref="DisposeAsync"/> disconnects and
/// completes once the connection has ended; <see cref="Dispose"/> does the same and blocks until then.
/// </summary>
public abstract partial class SshConnection : IAsyncDisposable, IDisposable
{
    /// <summary>The connection whose dispatch loop runs on this thread now, if any.</summary>
    [ThreadStatic]
    private static SshConnection? dispatching;

    private readonly Dictionary<uint, Connection.SshChannel> _channels = [];
    private readonly object _channelsGate = new();
    private Connection.UnusedConnectionTimer? _unused;
    private readonly TaskCompletionSource<Exception?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private uint _nextChannelId;
    private Connection.KeepAlive? _keepAlive;
    private Task _dispatch = Task.CompletedTask;
    private Task? _readGate;
    private int _disposed;

    internal SshConnection(SshTransport transport, string userName, EndPoint? remoteEndPoint)
    {
        Transport = transport;
        UserName = userName;
        RemoteEndPoint = remoteEndPoint;
    }

    internal SshTransport Transport { get; }

    /// <summary>The user name the connection authenticated as.</summary>
    public string UserName { get; }

    /// <summary>The peer's address, when the connection runs over a socket.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>The peer's identification string (e.g. <c>SSH-2.0-OpenSSH_9.2</c>).</summary>
    public string RemoteVersion => Transport.RemoteVersion;

    /// <summary>The session identifier (H of the first key exchange).</summary>
    public ReadOnlyMemory<byte> SessionId => Transport.SessionId;

    /// <summary>The negotiated cipher (client to server), for diagnostics.</summary>
    public string? Cipher => Transport.Negotiated?.CipherClientToServer.Name;

    /// <summary>The negotiated MAC (client to server), for diagnostics; null with an AEAD cipher.</summary>
    public string? Mac => Transport.Negotiated?.MacClientToServer?.Name;

    /// <summary>The negotiated compression (client to server), for diagnostics.</summary>
    public string? Compression => Transport.Negotiated?.CompressionClientToServer;

    /// <summary>The negotiated key exchange method, for diagnostics.</summary>
    public string? KeyExchange => Transport.Negotiated?.KeyExchange.Name;

    /// <summary>
    /// Completes when the connection ends: with null after a local dispose or a clean disconnect by
    /// the application, otherwise with the error that ended it. Never faults.
    /// </summary>
    public Task<Exception?> Completion => _completion.Task;

    /// <summary>Starts a key re-exchange now (it also happens by itself after the data limit).</summary>
    public void Rekey() => Transport.RequestKeyExchange();

    /// <summary>The window, packet size and output bound of this connection's channels (from the role's options).</summary>
    internal SshChannelSettings ChannelSettings { get; init; } = SshChannelSettings.Default;

    /// <summary>The layers' loggers (from the options); the transport's is <see cref="SshTransport.Logger"/>.</summary>
    internal IO.SshLoggers Loggers { get; init; } = IO.SshLoggers.None;

    internal void StartDispatch() => _dispatch = Task.Run(DispatchLoopAsync);

    /// <summary>Starts keepalives (see <see cref="Connection.KeepAlive"/>); they stop when the connection ends.</summary>
    internal void StartKeepAlive(TimeSpan interval, int countMax, System.Reactive.Concurrency.IScheduler scheduler)
    {
        Connection.KeepAlive? keepAlive = Connection.KeepAlive.Start(this, interval, countMax, scheduler);
        if (keepAlive is not null)
        {
            _keepAlive = keepAlive;
            _ = Completion.ContinueWith(_ => keepAlive.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Starts closing idle channels (see <see cref="Connection.ChannelTimeouts"/>); the sweep stops when the connection ends.</summary>
    internal void StartChannelTimeouts(IReadOnlyDictionary<string, TimeSpan>? timeouts, System.Reactive.Concurrency.IScheduler scheduler)
    {
        Connection.ChannelTimeouts? sweep = Connection.ChannelTimeouts.Start(timeouts, OpenChannels, scheduler, Loggers.Connection);
        if (sweep is not null)
        {
            _ = Completion.ContinueWith(_ => sweep.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>A snapshot of the channel table.</summary>
    private Connection.SshChannel[] OpenChannels()
    {
        lock (_channelsGate)
        {
            return [.. _channels.Values];
        }
    }

    private async Task DispatchLoopAsync()
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                ReadOnlyMemory<byte> payload = await Transport.ReceiveOrEndAsync(CancellationToken.None).ConfigureAwait(false);
                if (payload.IsEmpty)
                {
                    // The connection ended, orderly or not; the transport has the reason.
                    error = Transport.Failure;
                    break;
                }

                dispatching = this;
                try
                {
                    Dispatch(payload.Span);
                }
                finally
                {
                    dispatching = null;
                }

                if (_readGate is { } gate)
                {
                    // A channel's consumer or the request handlers are behind (what set the gate logged which): read nothing more until they catch up.
                    _readGate = null;
                    await Task.WhenAny(gate, Transport.Closed).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex)
        {
            error = await Transport.FailAsync(ex).ConfigureAwait(false);
        }

        EndGlobalRequests(error);
        EndChannelOpens();
        Connection.SshChannel[] channels;
        lock (_channelsGate)
        {
            channels = [.. _channels.Values];
        }

        foreach (Connection.SshChannel channel in channels)
        {
            channel.Fail(new SshConnectionException(DisconnectReason.ConnectionLost, "The connection ended: " + error?.Message, false, error));
        }

        bool clean = error is SshConnectionException { IsLocal: true, Reason: DisconnectReason.ByApplication } or SshConnectionException { IsLocal: false, Reason: DisconnectReason.ByApplication };
        _completion.TrySetResult(clean ? null : error);
    }

    private void Dispatch(ReadOnlySpan<byte> payload)
    {
        byte number = payload[0];
        var r = new SshReader(payload[1..]);
        switch (number)
        {
            case MessageNumber.ChannelData:
                {
                    Connection.SshChannel c = FindOpen(r.ReadUInt32(), number);
                    ReadOnlySpan<byte> data = r.ReadString();
                    r.ReadEnd();
                    c.OnData(null, data);
                    break;
                }

            case MessageNumber.ChannelExtendedData:
                {
                    Connection.SshChannel c = FindOpen(r.ReadUInt32(), number);
                    uint type = r.ReadUInt32();
                    ReadOnlySpan<byte> data = r.ReadString();
                    r.ReadEnd();
                    c.OnData(type, data);
                    break;
                }

            case MessageNumber.ChannelWindowAdjust:
                {
                    Connection.SshChannel c = FindOpen(r.ReadUInt32(), number);
                    uint bytes = r.ReadUInt32();
                    r.ReadEnd();
                    c.OnWindowAdjust(bytes);
                    break;
                }

            case MessageNumber.ChannelEof:
                FindOpen(r.ReadUInt32(), number).OnEof();
                break;
            case MessageNumber.ChannelClose:
                FindOpen(r.ReadUInt32(), number).OnClose();
                break;
            case MessageNumber.ChannelSuccess:
            case MessageNumber.ChannelFailure:
                FindOpen(r.ReadUInt32(), number).OnRequestReply(number == MessageNumber.ChannelSuccess);
                break;
            case MessageNumber.ChannelRequest:
                {
                    Connection.SshChannel c = FindOpen(r.ReadUInt32(), number);
                    string type = PeerText.ReadName(ref r);
                    bool wantReply = r.ReadBoolean();
                    _readGate = c.OnRequest(type, wantReply, r.RemainingSpan);
                    break;
                }

            case MessageNumber.ChannelOpenConfirmation:
                {
                    Connection.SshChannel c = Find(r.ReadUInt32(), number);
                    uint remote = r.ReadUInt32();
                    uint window = r.ReadUInt32();
                    uint maxPacket = r.ReadUInt32();
                    c.OnOpenConfirmed(remote, window, maxPacket);
                    break;
                }

            case MessageNumber.ChannelOpenFailure:
                {
                    Connection.SshChannel c = Find(r.ReadUInt32(), number);
                    var reason = (ChannelOpenFailureReason)r.ReadUInt32();
                    string description = PeerText.Sanitize(r.ReadUtf8String());
                    c.OnOpenFailed(new SshChannelOpenException(reason, description));
                    break;
                }

            case MessageNumber.ChannelOpen:
                OnChannelOpen(ref r);
                break;
            case MessageNumber.GlobalRequest:
                {
                    string name = PeerText.ReadName(ref r);
                    bool wantReply = r.ReadBoolean();
                    OnGlobalRequest(name, wantReply, r.RemainingSpan);
                    break;
                }

            case MessageNumber.RequestSuccess:
            case MessageNumber.RequestFailure:
                CompleteGlobalRequest(number == MessageNumber.RequestSuccess, r.RemainingSpan);
                break;
            case MessageNumber.UserAuthSuccess:
            case MessageNumber.UserAuthFailure:
            case MessageNumber.UserAuthBanner:
                break; // late auth messages are harmless after success
            default:
                using (var reply = new SshBuffer(8))
                {
                    new Messages.Transport.UnimplementedMessage(Transport.LastReceivedSequence).WriteTo(reply);
                    Transport.Send(reply);
                }

                break;
        }
    }

    /// <summary>
    /// The channel <paramref name="localId"/> names. A message for a channel that does not exist
    /// (never opened, or closed both ways) is a protocol error, as OpenSSH and x/crypto/ssh treat it.
    /// </summary>
    private Connection.SshChannel Find(uint localId, byte number)
    {
        lock (_channelsGate)
        {
            if (_channels.TryGetValue(localId, out Connection.SshChannel? channel))
            {
                return channel;
            }
        }

        throw new SshConnectionException(DisconnectReason.ProtocolError, $"The peer sent message {number} for channel {localId}, which is not open.");
    }

    /// <summary>As <see cref="Find"/>, for messages that need the channel open both ways (confirmed).</summary>
    private Connection.SshChannel FindOpen(uint localId, byte number)
    {
        Connection.SshChannel channel = Find(localId, number);
        if (!channel.IsConfirmed)
        {
            throw new SshConnectionException(DisconnectReason.ProtocolError, $"The peer sent message {number} for channel {localId} before confirming it.");
        }

        return channel;
    }

    internal void SendFromDispatch(SshBuffer payload)
    {
        using (payload)
        {
            try
            {
                Transport.Send(payload);
            }
            catch (SshConnectionException)
            {
                // Closed meanwhile; the dispatch loop reports why.
            }
        }
    }

    /// <summary>Allocates the next free local id and puts a new channel under it in the table (the caller holds <c>_channelsGate</c>).</summary>
    private Connection.SshChannel AddChannel(string type, uint windowSize, uint maxPacket)
    {
        while (_channels.ContainsKey(_nextChannelId))
        {
            _nextChannelId++;
        }

        var channel = new Connection.SshChannel(this, _nextChannelId++, type, windowSize, maxPacket);
        _channels.Add(channel.LocalId, channel);
        _unused?.ChannelCount(_channels.Count);
        if (Loggers.Connection.IsEnabled(LogLevel.Debug))
        {
            Loggers.Connection.LogDebug(SshLogEvents.Connection.ChannelOpened, "Channel {Channel}: {Type}", channel.LocalId, type);
        }

        return channel;
    }

    /// <summary>Opens a channel of <paramref name="type"/> and waits for the peer's confirmation.</summary>
    internal async Task<Connection.SshChannel> OpenChannelAsync(string type, Action<SshWriter>? extra, CancellationToken cancellationToken, uint? windowSize = null, uint? maxPacket = null)
    {
        uint window = windowSize ?? (uint)ChannelSettings.WindowSize;
        uint packet = maxPacket ?? (uint)ChannelSettings.MaxPacketSize;
        Connection.SshChannel channel;
        lock (_channelsGate)
        {
            if (Transport.Failure is not null)
            {
                throw new SshConnectionException(DisconnectReason.ConnectionLost, "The connection is closed.", true, Transport.Failure);
            }

            channel = AddChannel(type, window, packet);
        }

        try
        {
            using SshBuffer open = ConnectionMessages.ChannelOpen(type, channel.LocalId, window, packet);
            extra?.Invoke(open.Writer);
            await Transport.SendAsync(open, cancellationToken).ConfigureAwait(false);
            await channel.Opened.WaitAsync(cancellationToken).ConfigureAwait(false);
            return channel;
        }
        catch
        {
            if (!channel.Opened.IsCompletedSuccessfully)
            {
                // A late confirmation would leave the peer's side open: close it when it comes.
                _ = channel.Opened.ContinueWith(_ => channel.CloseAsync().AsTask(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            }

            throw;
        }
    }

    /// <summary>
    /// Accepts a channel the peer opened: registers it and sends OPEN_CONFIRMATION (from any
    /// thread; see <see cref="SshPendingChannel"/>). <paramref name="remoteId"/>, <paramref name="remoteWindow"/> and
    /// <paramref name="remoteMaxPacket"/> come from the peer's CHANNEL_OPEN.
    /// </summary>
    internal Connection.SshChannel AcceptChannel(string type, uint remoteId, uint remoteWindow, uint remoteMaxPacket, uint? windowSize = null, uint? maxPacket = null)
    {
        uint window = windowSize ?? (uint)ChannelSettings.WindowSize;
        uint packet = maxPacket ?? (uint)ChannelSettings.MaxPacketSize;
        Connection.SshChannel channel;
        lock (_channelsGate)
        {
            if (Transport.Failure is not null)
            {
                // The dispatch loop has failed (or is failing) the channels in the table: this one would be missed.
                throw new SshConnectionException(DisconnectReason.ConnectionLost, "The connection is closed.", true, Transport.Failure);
            }

            channel = AddChannel(type, window, packet);
        }

        channel.OnOpenConfirmed(remoteId, remoteWindow, remoteMaxPacket);
        SendFromDispatch(ConnectionMessages.ChannelOpenConfirmation(remoteId, channel.LocalId, window, packet));
        return channel;
    }

    /// <summary>Channels of <paramref name="type"/> open now (closed ones leave the table on the dispatch loop, so the count is exact there).</summary>
    internal int CountChannels(string type)
    {
        lock (_channelsGate)
        {
            return _channels.Values.Count(c => c.ChannelType == type);
        }
    }

    internal void RemoveChannel(Connection.SshChannel channel)
    {
        int left;
        lock (_channelsGate)
        {
            _channels.Remove(channel.LocalId);
            left = _channels.Count;
            _unused?.ChannelCount(left);
        }

        if (!Loggers.Connection.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        Connection.ChannelReceiveCounts received = channel.Received;
        Loggers.Connection.LogDebug(
            SshLogEvents.Connection.ChannelClosed,
            "Channel {Channel} ({Type}) closed, {Left} open; received {Bytes} bytes in {Packets} packets, largest {LargestPacket}, {KeptWhole} kept whole, at most {InFlight} of the {Window}-byte window in flight",
            channel.LocalId,
            channel.ChannelType,
            left,
            received.Bytes,
            received.Packets,
            received.LargestPacket,
            received.PacketsKeptWhole,
            received.PeakInFlight,
            channel.WindowSize);
    }

    /// <summary>
    /// Ends the connection (DISCONNECT, by application) once it has had no open channel for
    /// <paramref name="timeout"/> on <paramref name="scheduler"/>; nothing when the timeout is zero or infinite.
    /// </summary>
    internal void StartUnusedTimeout(TimeSpan timeout, System.Reactive.Concurrency.IScheduler scheduler, Microsoft.Extensions.Logging.ILogger logger)
    {
        if (timeout <= TimeSpan.Zero || timeout == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        var timer = new Connection.UnusedConnectionTimer(timeout, scheduler, () =>
        {
            Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(logger, SshLogEvents.Connection.UnusedConnectionTimeout, "Closing connection from {Remote}: no channel open for {Seconds} s (unused connection timeout)", RemoteEndPoint, timeout.TotalSeconds);
            IO.TaskFaults.Observe(Transport.FailAsync(new SshConnectionException(DisconnectReason.ByApplication, $"Unused connection timeout: no channel was open for {timeout.TotalSeconds:0.###} s.", true)));
        });
        lock (_channelsGate)
        {
            _unused = timer;
            timer.ChannelCount(_channels.Count);
        }

        _ = Completion.ContinueWith(_ => timer.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// True on a thread that is running a connection's dispatch loop (inside one of its inline
    /// callbacks): blocking there on work that needs a dispatch loop would deadlock.
    /// </summary>
    internal static bool OnDispatchLoop => dispatching is not null;

    /// <summary>
    /// Disconnects and blocks until the connection has ended: the same work as
    /// <see cref="DisposeAsync"/> (prefer that in asynchronous code), so once it returns
    /// <see cref="Completion"/> is complete and the stream is closed. Bounded: the transport gives
    /// queued output at most 2 seconds to drain. The one exception, so that it never deadlocks:
    /// called on a connection's own dispatch loop (a callback the library runs there), it starts
    /// the disconnect and returns without waiting. Safe to call more than once.
    /// </summary>
    public void Dispose()
    {
        if (OnDispatchLoop)
        {
            IO.TaskFaults.Observe(DisposeAsync().AsTask());
            return;
        }

        DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>
    /// Disconnects (SSH_DISCONNECT_BY_APPLICATION) and completes once the connection has ended:
    /// <see cref="Completion"/> is complete, the stream closed and every channel failed. A second
    /// call waits for the first one's work.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await _completion.Task.ConfigureAwait(false);
            return;
        }

        await Transport.DisposeAsync().ConfigureAwait(false);
        await _dispatch.ConfigureAwait(false);
        _completion.TrySetResult(null);
        GC.SuppressFinalize(this);
    }

    internal SshPublicKey? ServerHostKey => Transport.HostKey;
}
