namespace Rx.Ssh.Connection;

/// <summary>
/// What a peer sent on one channel: data bytes and packets, the largest packet, the most bytes it
/// had in flight (sent beyond the window we had given back, never above the window: the receiver
/// enforces it) and the packets whose buffer the channel kept instead of copying. The dispatch loop
/// counts; the channel's closing line in the log reports them (<see cref="SshLogEvents.Connection.ChannelClosed"/>),
/// which is where window and packet-size tuning shows.
/// </summary>
internal sealed class ChannelReceiveCounts
{
    /// <summary>Data bytes received (both data types).</summary>
    public long Bytes { get; private set; }

    /// <summary>Data packets received.</summary>
    public long Packets { get; private set; }

    /// <summary>The largest data packet, in bytes.</summary>
    public int LargestPacket { get; private set; }

    /// <summary>The most bytes the peer had sent beyond the window we had given back.</summary>
    public long PeakInFlight { get; private set; }

    /// <summary>Data packets queued in their own buffer, without a copy.</summary>
    public long PacketsKeptWhole { get; private set; }

    /// <summary>Counts one data packet of <paramref name="length"/> bytes, with <paramref name="inFlight"/> bytes of the window used after it.</summary>
    public void Count(int length, long inFlight)
    {
        Bytes += length;
        Packets++;
        LargestPacket = Math.Max(LargestPacket, length);
        PeakInFlight = Math.Max(PeakInFlight, inFlight);
    }

    /// <summary>Counts a data packet (already counted) that was queued in its own buffer.</summary>
    public void CountKeptWhole() => PacketsKeptWhole++;
}
