using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Messages.Connection;
using Rx.Ssh.Wire;

namespace Rx.Ssh;

// Incoming channels (RFC 4254 section 5.1), both roles, on one mechanism: the dispatch loop looks
// the type up in _openHandlers (unknown: UNKNOWN_CHANNEL_TYPE at once), makes an SshPendingChannel
// and starts the handler on the thread pool; whoever holds the pending channel accepts or rejects
// it later. At most MaxPendingRequests (the options') wait for a decision; past that the dispatch loop reads
// nothing more until one is decided (the same read gate as global and channel requests). Pending
// channels still undecided when the connection ends are abandoned. Built-in types that must decide
// synchronously on the dispatch loop (the server's "session", for MaxSessions) register inline.
public abstract partial class SshConnection
{
    /// <summary>Incoming channel opens, and global requests, that may wait for a decision before the dispatch loop stops reading (the options' <c>MaxPendingRequests</c>).</summary>
    internal int MaxPendingRequests { get; set; } = SshConnectionOptions.DefaultMaxPendingRequests;

    /// <summary>Channels open or pending past which the peer's opens are refused (the options' <c>MaxChannels</c>).</summary>
    internal int MaxChannels { get; set; } = SshConnectionOptions.DefaultMaxChannels;

    private readonly ConcurrentDictionary<string, OpenHandler> _openHandlers = new(StringComparer.Ordinal);
    private readonly HashSet<SshPendingChannel> _pendingOpens = [];
    private Connection.ReadRoom _openRoom;

    /// <summary>
    /// Registers <paramref name="handler"/> for channels of <paramref name="channelType"/> the peer
    /// opens on this connection; disposing the result unregisters it (channels already pending stay
    /// pending). Types with no handler are refused with UNKNOWN_CHANNEL_TYPE. To have a handler before
    /// the first open can arrive, use the options' <c>ChannelOpenHandlers</c>.
    /// </summary>
    /// <param name="channelType">The channel type, compared ordinally (e.g. <c>direct-tcpip</c>).</param>
    /// <param name="handler">Decides the channels; see <see cref="SshChannelOpenHandler"/> for threading.</param>
    /// <returns>Unregisters the handler when disposed.</returns>
    /// <exception cref="InvalidOperationException">A handler for <paramref name="channelType"/> is already registered (the server's <c>session</c> is built in).</exception>
    public IDisposable RegisterChannelOpenHandler(string channelType, SshChannelOpenHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return RegisterOpenHandler(channelType, new OpenHandler(handler, null));
    }

    /// <summary>Registers the options' handlers, before the dispatch loop starts.</summary>
    internal void AddChannelOpenHandlers(IReadOnlyDictionary<string, SshChannelOpenHandler>? handlers)
    {
        foreach (KeyValuePair<string, SshChannelOpenHandler> entry in handlers ?? new Dictionary<string, SshChannelOpenHandler>())
        {
            RegisterChannelOpenHandler(entry.Key, entry.Value);
        }
    }

    /// <summary>Registers a built-in type decided synchronously on the dispatch loop; its exceptions end the connection (protocol errors).</summary>
    private protected IDisposable RegisterInlineChannelOpenHandler(string channelType, Action<SshPendingChannel> handler) =>
        RegisterOpenHandler(channelType, new OpenHandler(null, handler));

    private IDisposable RegisterOpenHandler(string channelType, OpenHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(channelType);
        if (!_openHandlers.TryAdd(channelType, handler))
        {
            throw new InvalidOperationException($"A handler for channel type '{channelType}' is already registered.");
        }

        return new OpenRegistration(this, channelType, handler);
    }

    /// <summary>A CHANNEL_OPEN came (on the dispatch loop): refuse it now, or hand it to its handler.</summary>
    private void OnChannelOpen(ref SshReader reader)
    {
        // string channel type, uint32 sender channel, uint32 initial window size, uint32 maximum packet size, ... type-specific
        string type = PeerText.ReadName(ref reader);
        uint sender = reader.ReadUInt32();
        if (!_openHandlers.TryGetValue(type, out OpenHandler? handler))
        {
            SendFromDispatch(ConnectionMessages.ChannelOpenFailure(sender, ChannelOpenFailureReason.UnknownChannelType, $"Channel type '{PeerText.Quote(type)}' is not supported."));
            return;
        }

        uint window = reader.ReadUInt32();
        uint maxPacket = reader.ReadUInt32();
        if (ChannelCount() >= MaxChannels)
        {
            Loggers.Connection.LogWarning(SshLogEvents.Connection.ChannelLimit, "Refused a '{Type}' channel: {Max} channels are open or pending on this connection (MaxChannels)", PeerText.Quote(type), MaxChannels);
            SendFromDispatch(ConnectionMessages.ChannelOpenFailure(sender, ChannelOpenFailureReason.ResourceShortage, $"Too many channels (at most {MaxChannels})."));
            return;
        }

        ReadOnlySpan<byte> extra = reader.RemainingSpan;
        if (maxPacket < Connection.SshChannel.MinRemoteMaxPacket)
        {
            SendFromDispatch(ConnectionMessages.ChannelOpenFailure(sender, ChannelOpenFailureReason.ConnectFailed, $"Invalid maximum packet size {maxPacket}."));
            return;
        }

        var pending = new SshPendingChannel(this, type, sender, window, maxPacket, extra.IsEmpty ? ReadOnlyMemory<byte>.Empty : extra.ToArray());
        if (handler.Inline is { } inline)
        {
            inline(pending);
            return;
        }

        int waiting;
        bool full;
        lock (_pendingOpens)
        {
            _pendingOpens.Add(pending);
            waiting = _pendingOpens.Count;
            full = waiting >= MaxPendingRequests;
            if (full)
            {
                _readGate = _openRoom.Close();
            }
        }

        if (full)
        {
            Loggers.Connection.LogDebug(SshLogEvents.Connection.ReadingPaused, "Reading paused: {Count} channel opens wait for a decision", waiting);
        }

        _ = RunOpenHandlerAsync(handler.Async!, pending);
    }

    private async Task RunOpenHandlerAsync(SshChannelOpenHandler handler, SshPendingChannel pending)
    {
        CancellationToken ending = _ending.Token;
        try
        {
            // Off the dispatch loop, even for a handler that does its work before its first await.
            await Task.Run(async () => await handler(pending, ending).ConfigureAwait(false), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (!ending.IsCancellationRequested)
            {
                Loggers.Connection.LogWarning(SshLogEvents.Connection.ChannelOpenHandlerFailed, ex, "The handler for channel type '{Type}' failed; the channel is refused", pending.ChannelType);
            }

            pending.Reject(ChannelOpenFailureReason.ConnectFailed, "The channel could not be opened.");
        }
    }

    /// <summary>Channels in the table plus the peer's opens waiting for a decision.</summary>
    private int ChannelCount()
    {
        int pending;
        lock (_pendingOpens)
        {
            pending = _pendingOpens.Count;
        }

        lock (_channelsGate)
        {
            return _channels.Count + pending;
        }
    }

    /// <summary>A pending channel was accepted or rejected: it leaves the pending set, which may reopen the read gate.</summary>
    internal void ChannelOpenDecided(SshPendingChannel pending, bool accepted)
    {
        TaskCompletionSource? room = null;
        int left;
        lock (_pendingOpens)
        {
            _pendingOpens.Remove(pending);
            left = _pendingOpens.Count;
            if (left < MaxPendingRequests)
            {
                room = _openRoom.Open();
            }
        }

        room?.TrySetResult();
        LogOpenDecided(pending, accepted ? "accepted" : "rejected", left);
    }

    private void LogOpenDecided(SshPendingChannel pending, string decision, int left)
    {
        if (Loggers.Connection.IsEnabled(LogLevel.Debug))
        {
            Loggers.Connection.LogDebug(SshLogEvents.Connection.ChannelOpenDecided, "Channel open '{Type}' {Decision}; {Pending} opens wait for a decision", pending.ChannelType, decision, left);
        }
    }

    /// <summary>The connection ended: channels still pending are abandoned (handlers see the cancellation of <see cref="_ending"/>).</summary>
    private void EndChannelOpens()
    {
        SshPendingChannel[] pending;
        lock (_pendingOpens)
        {
            pending = [.. _pendingOpens];
            _pendingOpens.Clear();
        }

        foreach (SshPendingChannel channel in pending)
        {
            if (channel.Abandon())
            {
                LogOpenDecided(channel, "abandoned", 0);
            }
        }
    }

    private sealed record OpenHandler(SshChannelOpenHandler? Async, Action<SshPendingChannel>? Inline);

    private sealed class OpenRegistration(SshConnection connection, string channelType, OpenHandler handler) : IDisposable
    {
        public void Dispose() => connection._openHandlers.TryRemove(new KeyValuePair<string, OpenHandler>(channelType, handler));
    }
}
