using System.Reactive.Linq;

namespace Rx.Ssh.Samples.Clients;

/// <summary>
/// What the three callback clients share: a session whose data is printed as it arrives
/// (AsyncSSH's <c>SSHClientSession.data_received</c>) and whose error, if one ends it, is
/// reported on stderr (<c>connection_lost</c>).
/// </summary>
internal static class SessionSample
{
    /// <summary>
    /// Runs <paramref name="command"/> on <paramref name="conn"/> and prints its output as it
    /// arrives: all of it on stdout, or stderr data on stderr when <paramref name="splitStderr"/>.
    /// Returns the exit code of the sample: 0, or 1 when the session could not be opened.
    /// </summary>
    public static async Task<int> PrintAsync(SshClientConnection conn, string command, SampleContext context, bool splitStderr)
    {
        try
        {
            await conn.Exec(command)
                .OfType<SshDataReceived>()
                .Do(data => (splitStderr && data.Stream == SshStandardStream.Stderr ? context.Error : context.Out).Write(data.Text))
                .LastOrDefaultAsync();
        }
        catch (Exception exc) when (exc is SshChannelOpenException or SshChannelRequestException)
        {
            // The session never started, which the original reports as a failed connection.
            context.Error.WriteLine("SSH connection failed: " + exc.Message);
            return 1;
        }
        catch (SshException exc)
        {
            context.Error.WriteLine("SSH session error: " + exc.Message);
        }

        return 0;
    }
}
