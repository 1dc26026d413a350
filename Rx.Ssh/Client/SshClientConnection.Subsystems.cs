using Rx.Ssh.Connection;

namespace Rx.Ssh;

// Subsystems (RFC 4254 section 6.5): a session channel whose "subsystem" request the server
// accepted, handed to the caller as a byte channel (the subsystem's stdin and stdout).
public sealed partial class SshClientConnection
{
    /// <summary>
    /// Starts the subsystem <paramref name="name"/> (e.g. <c>sftp</c>, <c>netconf</c>) with the
    /// default window and packet size; see <see cref="OpenSubsystemAsync(string, SshChannelSettings?, CancellationToken)"/>.
    /// </summary>
    /// <param name="name">The subsystem name.</param>
    /// <param name="cancellationToken">Stops waiting; the channel is closed.</param>
    /// <returns>The subsystem's channel, owned by the caller.</returns>
    public Task<SshChannelStream> OpenSubsystemAsync(string name, CancellationToken cancellationToken) =>
        OpenSubsystemAsync(name, null, cancellationToken);

    /// <summary>
    /// Opens a session channel and asks the server to start the subsystem <paramref name="name"/>
    /// in it (a <c>subsystem</c> request with want-reply). Once the server accepts, the returned
    /// channel carries the subsystem's input and output: write to it, read from it, and
    /// <see cref="SshChannelStream.CompleteWritingAsync"/> for end of input. The server's stderr
    /// (extended data) and its exit status are seen only through <see cref="SshChannelStream.Events"/>.
    /// The caller owns the channel: dispose it to close it.
    /// </summary>
    /// <param name="name">The subsystem name, a printable US-ASCII name.</param>
    /// <param name="settings">Our window and maximum packet size; the connection's options' <c>ChannelSettings</c> when null.</param>
    /// <param name="cancellationToken">Stops waiting; the channel is closed.</param>
    /// <returns>The subsystem's channel, owned by the caller.</returns>
    /// <exception cref="SshChannelRequestException">The server refused the subsystem (unknown, or not allowed); the channel is closed.</exception>
    /// <exception cref="SshChannelOpenException">The server refused the session channel.</exception>
    /// <exception cref="SshConnectionException">The connection ended.</exception>
    public async Task<SshChannelStream> OpenSubsystemAsync(string name, SshChannelSettings? settings = null, CancellationToken cancellationToken = default)
    {
        CheckName(name, nameof(name));
        SshChannel channel = await OpenChannelAsync("session", null, cancellationToken, (uint?)settings?.WindowSize, (uint?)settings?.MaxPacketSize).ConfigureAwait(false);
        try
        {
            if (_agentForwarding is not null)
            {
                // As ssh -A -s does: the subsystem's session may use the agent too.
                await _agentForwarding.RequestAsync(channel, cancellationToken).ConfigureAwait(false);
            }

            // string "subsystem", boolean want reply, string subsystem name
            if (!await channel.SendRequestAsync("subsystem", true, w => w.WriteString(name), cancellationToken).ConfigureAwait(false))
            {
                throw new SshChannelRequestException("subsystem");
            }
        }
        catch
        {
            await channel.CloseAsync().ConfigureAwait(false);
            throw;
        }

        return new SshChannelStream(channel);
    }
}
