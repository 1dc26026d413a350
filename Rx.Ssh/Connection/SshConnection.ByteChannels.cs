namespace Rx.Ssh;

// Opening a channel of any type as a byte channel (RFC 4254 section 5.1), either role, on the
// same open path the built-in session channels use.
public abstract partial class SshConnection
{
    /// <summary>
    /// Opens a channel of <paramref name="channelType"/> with <paramref name="extraData"/> (the
    /// type-specific fields after the maximum packet size, in wire format) and waits for the peer's
    /// answer. The caller owns the returned channel: read it and dispose it to close it.
    /// </summary>
    /// <param name="channelType">The channel type, a printable US-ASCII name (e.g. <c>direct-tcpip</c>, <c>my-type@example.com</c>).</param>
    /// <param name="extraData">Type-specific data, sent as is; empty for none.</param>
    /// <param name="settings">Our window and maximum packet size; the connection's options' <c>ChannelSettings</c> when null.</param>
    /// <param name="cancellationToken">Stops waiting; a confirmation that comes later is answered with CLOSE.</param>
    /// <returns>The open channel.</returns>
    /// <exception cref="SshChannelOpenException">The peer refused (OPEN_FAILURE): its reason code and text.</exception>
    /// <exception cref="SshConnectionException">The connection ended.</exception>
    /// <exception cref="ArgumentException"><paramref name="channelType"/> is not a printable name.</exception>
    public async Task<SshChannelStream> OpenChannelAsync(string channelType, ReadOnlyMemory<byte> extraData, SshChannelSettings? settings = null, CancellationToken cancellationToken = default)
    {
        CheckName(channelType, nameof(channelType));
        Connection.SshChannel channel = await OpenChannelAsync(
            channelType,
            extraData.IsEmpty ? null : w => w.WriteRaw(extraData.Span),
            cancellationToken,
            (uint?)settings?.WindowSize,
            (uint?)settings?.MaxPacketSize).ConfigureAwait(false);
        return new SshChannelStream(channel);
    }

    /// <summary>RFC 4251 section 6 names: printable US-ASCII without spaces, at most 64 characters.</summary>
    internal static void CheckName(string name, string parameter)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, parameter);
        if (name.Length > 64 || name.Any(c => c is <= ' ' or > '~'))
        {
            throw new ArgumentException($"'{name}' is not a valid SSH name: printable US-ASCII without spaces, at most 64 characters.", parameter);
        }
    }
}
