using Rx.Ssh.Connection;
using Rx.Ssh.Messages.Connection;

namespace Rx.Ssh.Session;

/// <summary>Sending the <c>signal</c> request (RFC 4254 section 6.9), for every client surface.</summary>
internal static class SessionSignals
{
    /// <summary>Sends <paramref name="signal"/> (name without <c>SIG</c>); no reply is asked for (none is defined).</summary>
    public static Task SendAsync(SshChannel channel, string signal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signal);
        return channel.SendRequestAsync(SessionRequestMessages.Signal, false, w => SessionRequestMessages.WriteSignal(w, signal), cancellationToken);
    }

    /// <summary>Sends a signal, ignoring a channel or connection that has already gone.</summary>
    public static async Task TrySendAsync(SshChannel channel, string signal)
    {
        try
        {
            await SendAsync(channel, signal, CancellationToken.None).ConfigureAwait(false);
        }
        catch (SshException)
        {
            // Already closed: the process has ended or the connection is gone.
        }
    }
}
