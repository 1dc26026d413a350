namespace Rx.Ssh;

/// <summary>
/// Flow-control settings of the channels a connection opens or accepts, the same for both roles
/// (<see cref="SshConnectionOptions.ChannelSettings"/>, on both roles' options).
/// Each value is checked when it is set: out of range throws <see cref="ArgumentOutOfRangeException"/>.
/// </summary>
public sealed record SshChannelSettings
{
    /// <summary>The smallest <see cref="MaxPacketSize"/> accepted.</summary>
    public const int MinMaxPacketSize = 1024;

    /// <summary>
    /// The largest <see cref="MaxPacketSize"/> accepted (255 KiB): what our transport reads in one
    /// packet (256 KiB, as OpenSSH) less the channel data header and the most padding. Announcing more
    /// than the default lets a peer that sends bulk data (an SFTP server) send it in fewer packets
    /// (OpenSSH's sshd does); what we send is bounded separately (see <see cref="MaxPacketSize"/>).
    /// </summary>
    public const int MaxMaxPacketSize = 255 * 1024;

    /// <summary>The smallest <see cref="WindowSize"/> accepted: one packet of the size every transport takes (32768 bytes).</summary>
    public const int MinWindowSize = 32768;

    /// <summary>The largest <see cref="WindowSize"/> accepted (1 GiB: what one channel may make the peer hold for it).</summary>
    public const int MaxWindowSize = 1024 * 1024 * 1024;

    /// <summary>The smallest <see cref="MaxQueuedOutputBytes"/> accepted: one packet of the largest size we send (32768 bytes).</summary>
    public const long MinQueuedOutputBytes = 32768;

    /// <summary>The largest <see cref="MaxQueuedOutputBytes"/> accepted (1 GiB).</summary>
    public const long MaxQueuedOutputBytesLimit = 1024L * 1024 * 1024;

    /// <summary>The defaults: a 2 MiB window, 32768-byte packets, 8 MiB of queued output.</summary>
    public static SshChannelSettings Default { get; } = new();

    /// <summary>
    /// The receive window announced for each channel: bytes the peer may send before we give window
    /// back, which we do as the data is consumed (once half of it is). Bounds the unread data a
    /// channel holds. Default 2 MiB; from <see cref="MinWindowSize"/> to <see cref="MaxWindowSize"/>.
    /// </summary>
    public int WindowSize
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, MinWindowSize, nameof(WindowSize));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxWindowSize, nameof(WindowSize));
            field = value;
        }
    } = 2 * 1024 * 1024;

    /// <summary>
    /// The largest data packet announced for each channel: the peer puts at most this many bytes in
    /// one CHANNEL_DATA. Default 32768 (what OpenSSH announces for sessions); from
    /// <see cref="MinMaxPacketSize"/> to <see cref="MaxMaxPacketSize"/> (Rx.Ssh.Sftp's client announces
    /// the most). What we send is bounded by the peer's announcement and 32768: every SSH transport
    /// must take a 32768-byte payload (RFC 4253 section 6.1), not necessarily a larger one, whatever it announces.
    /// </summary>
    public int MaxPacketSize
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, MinMaxPacketSize, nameof(MaxPacketSize));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxMaxPacketSize, nameof(MaxPacketSize));
            field = value;
        }
    } = 32768;

    /// <summary>
    /// How long disposing a process waits for the peer's CLOSE after sending ours (RFC 4254
    /// section 5.3: the channel is gone only once CLOSE went both ways). A peer that never answers
    /// must not make <c>DisposeAsync</c> hang: past this time the process's readers and pump are
    /// released anyway and the channel is left to the connection, which frees its number when the
    /// CLOSE comes or the connection ends (its unread data stays bounded by the window). Default
    /// 10 seconds; <see cref="Timeout.InfiniteTimeSpan"/> waits for ever, as before.
    /// </summary>
    public TimeSpan CloseTimeout
    {
        get;
        init
        {
            if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(CloseTimeout), value, "The close timeout must be positive or infinite.");
            }

            field = value;
        }
    } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Output bytes a channel holds waiting for the peer's window when the writer does not wait
    /// itself: non-awaited writes (<see cref="SshProcessWriter.Write(string)"/> and the
    /// like, which fail past it) and the chunks of a source given to
    /// <see cref="SshProcessWriter.WriteFromAsync(IObservable{ReadOnlyMemory{byte}}, bool?, CancellationToken)"/>
    /// (whose emitter is held back past it). Default 8 MiB; from <see cref="MinQueuedOutputBytes"/>
    /// to <see cref="MaxQueuedOutputBytesLimit"/>.
    /// </summary>
    public long MaxQueuedOutputBytes
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, MinQueuedOutputBytes, nameof(MaxQueuedOutputBytes));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxQueuedOutputBytesLimit, nameof(MaxQueuedOutputBytes));
            field = value;
        }
    } = 8 * 1024 * 1024;
}
