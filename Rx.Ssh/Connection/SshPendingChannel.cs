using Rx.Ssh.Messages.Connection;

namespace Rx.Ssh;

/// <summary>
/// A channel the peer asked to open (RFC 4254 section 5.1) and nobody has decided yet: accept it
/// (<see cref="Accept()"/>: the connection sends OPEN_CONFIRMATION and returns the channel, owned by the
/// caller) or <see cref="Reject"/> it (OPEN_FAILURE). Exactly one
/// decision counts; the others are ignored. A channel still pending when the connection ends is
/// refused then (nothing is sent, the connection is gone) and no longer counts toward the bound of
/// pending opens. The pending channel owns a copy of the peer's data, so it may be kept after the
/// handler returns. Safe to use from any thread.
/// </summary>
public sealed class SshPendingChannel
{
    private const int Pending = 0;
    private const int Decided = 1;
    private int _state;

    internal SshPendingChannel(SshConnection connection, string channelType, uint senderChannel, uint initialWindowSize, uint maxPacketSize, ReadOnlyMemory<byte> extraData)
    {
        Connection = connection;
        ChannelType = channelType;
        SenderChannel = senderChannel;
        InitialWindowSize = initialWindowSize;
        MaxPacketSize = maxPacketSize;
        ExtraData = extraData;
    }

    /// <summary>The connection the request came on.</summary>
    public SshConnection Connection { get; }

    /// <summary>The channel type (e.g. <c>direct-tcpip</c>); already checked to be a printable name.</summary>
    public string ChannelType { get; }

    /// <summary>The peer's id for the channel (its "sender channel").</summary>
    public uint SenderChannel { get; }

    /// <summary>The window the peer grants us: bytes we may send before it adjusts it.</summary>
    public uint InitialWindowSize { get; }

    /// <summary>The largest data packet the peer takes (already checked to carry at least one byte).</summary>
    public uint MaxPacketSize { get; }

    /// <summary>The type-specific data after the maximum packet size, in wire format (empty when there is none; e.g. host, port, originator for <c>direct-tcpip</c>).</summary>
    public ReadOnlyMemory<byte> ExtraData { get; }

    /// <summary>True once the channel was accepted or rejected, or the connection ended.</summary>
    public bool IsDecided => Volatile.Read(ref _state) != Pending;

    /// <summary>
    /// Refuses the channel: sends OPEN_FAILURE with <paramref name="reason"/> and
    /// <paramref name="description"/> (shown to the peer: keep secrets out of it).
    /// </summary>
    /// <param name="reason">The reason code, e.g. <see cref="ChannelOpenFailureReason.ConnectFailed"/> when a <c>direct-tcpip</c> destination does not answer.</param>
    /// <param name="description">A short human-readable text.</param>
    /// <returns>True if this call refused it; false if it was already decided or the connection ended.</returns>
    public bool Reject(ChannelOpenFailureReason reason, string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        if (!TryDecide())
        {
            return false;
        }

        Connection.SendFromDispatch(ConnectionMessages.ChannelOpenFailure(SenderChannel, reason, description));
        Connection.ChannelOpenDecided(this, accepted: false);
        return true;
    }

    /// <summary>
    /// Accepts the channel with the connection's window and packet size (its options'
    /// <c>ChannelSettings</c>); see <see cref="Accept(SshChannelSettings)"/>.
    /// </summary>
    /// <returns>The open channel, owned by the caller.</returns>
    /// <exception cref="InvalidOperationException">The channel was already decided.</exception>
    /// <exception cref="SshConnectionException">The connection ended.</exception>
    public SshChannelStream Accept() => new(AcceptChannel());

    /// <summary>
    /// Accepts the channel with our receive window and largest incoming packet from
    /// <paramref name="settings"/>: it enters the channel table and OPEN_CONFIRMATION is sent. The
    /// caller owns the returned channel: it must read it (the window bounds what waits unread) and
    /// dispose it to close it; the connection fails it when it ends.
    /// </summary>
    /// <param name="settings">Our window and maximum packet size (already range-checked by <see cref="SshChannelSettings"/>).</param>
    /// <returns>The open channel, owned by the caller.</returns>
    /// <exception cref="InvalidOperationException">The channel was already decided.</exception>
    /// <exception cref="SshConnectionException">The connection ended.</exception>
    public SshChannelStream Accept(SshChannelSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new SshChannelStream(AcceptChannel((uint)settings.WindowSize, (uint)settings.MaxPacketSize));
    }

    /// <summary>
    /// <see cref="Accept(SshChannelSettings)"/> for the library's own channel types (the server's
    /// <c>session</c>), which read the internal channel directly; null sizes are the connection's settings.
    /// </summary>
    internal Connection.SshChannel AcceptChannel(uint? windowSize = null, uint? maxPacket = null)
    {
        if (!TryDecide())
        {
            if (Connection.Transport.Failure is { } failure)
            {
                throw new SshConnectionException(DisconnectReason.ConnectionLost, "The connection ended before the channel was accepted.", true, failure);
            }

            throw new InvalidOperationException("The channel was already accepted or rejected.");
        }

        bool accepted = false;
        try
        {
            Connection.SshChannel channel = Connection.AcceptChannel(ChannelType, SenderChannel, InitialWindowSize, MaxPacketSize, windowSize, maxPacket);
            accepted = true;
            return channel;
        }
        finally
        {
            Connection.ChannelOpenDecided(this, accepted);
        }
    }

    /// <summary>The connection ended: nobody may decide any more.</summary>
    internal bool Abandon() => TryDecide();

    private bool TryDecide() => Interlocked.CompareExchange(ref _state, Decided, Pending) == Pending;
}
