namespace Rx.Ssh;

/// <summary>
/// Our side's flow-control values for one channel (RFC 4254 section 5.1): how much the peer may
/// send before we give window back, and the largest data packet we take. Used when opening a
/// channel (<see cref="SshConnection.OpenChannelAsync(string, ReadOnlyMemory{byte}, SshChannelOptions?, CancellationToken)"/>)
/// and when accepting one (<see cref="SshPendingChannel.Accept(SshChannelOptions)"/>).
/// Immutable; use <c>with</c> to vary.
/// </summary>
public sealed record SshChannelOptions
{
    /// <summary>The smallest <see cref="MaxPacketSize"/> allowed: less cannot carry a byte of data with its header.</summary>
    public const uint MinPacketSize = 9;

    /// <summary>The largest <see cref="MaxPacketSize"/> allowed (well inside the transport's packet limit).</summary>
    public const uint MaxPacketSizeLimit = 128 * 1024;

    /// <summary>The defaults: a 2 MiB window and 32 KiB packets (as OpenSSH's sessions).</summary>
    public static SshChannelOptions Default { get; } = new();

    /// <summary>
    /// Our receive window: bytes the peer may send that nobody has read yet. It is also the most
    /// memory the channel holds for unread data; window goes back to the peer only as the reader
    /// takes the data. At least <see cref="MaxPacketSize"/>. Default 2 MiB.
    /// </summary>
    public uint WindowSize { get; init; } = 2 * 1024 * 1024;

    /// <summary>
    /// The largest data packet we accept from the peer, between <see cref="MinPacketSize"/> and
    /// <see cref="MaxPacketSizeLimit"/>. Default 32768.
    /// </summary>
    public uint MaxPacketSize { get; init; } = 32768;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a value is out of range.</summary>
    internal SshChannelOptions Validated()
    {
        if (MaxPacketSize is < MinPacketSize or > MaxPacketSizeLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPacketSize), MaxPacketSize, $"The maximum packet size must be between {MinPacketSize} and {MaxPacketSizeLimit}.");
        }

        if (WindowSize < MaxPacketSize)
        {
            throw new ArgumentOutOfRangeException(nameof(WindowSize), WindowSize, "The window must hold at least one maximum-size packet.");
        }

        return this;
    }
}
