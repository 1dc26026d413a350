using Rx.Ssh.Redirection;

namespace Rx.Ssh;

/// <summary>
/// <see cref="SshSource"/> and <see cref="SshSink"/> factories for a server-side process, called as
/// <c>SshSource.FromRemote(process)</c> and <c>SshSink.ToRemote(process)</c>. They live beside the
/// process (not in <c>Redirection/</c>, which sits below the server) so the layers have no cycle.
/// </summary>
public static class SshServerProcessRedirection
{
    extension(SshSource)
    {
        /// <summary>What the client of a server process sends (its standard input), read to EOF.</summary>
        public static SshSource FromRemote(SshServerProcess process)
        {
            ArgumentNullException.ThrowIfNull(process);
            return SshSource.FromReader(() => new DelegateSourceReader(process.Stdin.ReadAsync));
        }
    }

    extension(SshSink)
    {
        /// <summary>
        /// What a server process sends its client: its standard output (or error, with
        /// <paramref name="stderr"/>), as raw bytes. With <paramref name="sendEof"/>, EOF follows the
        /// data (ending both output streams).
        /// </summary>
        public static SshSink ToRemote(SshServerProcess process, bool stderr = false, bool sendEof = false)
        {
            ArgumentNullException.ThrowIfNull(process);
            SshProcessWriter output = stderr ? process.Stderr : process.Stdout;
            Func<CancellationToken, ValueTask>? eof = sendEof ? _ => new ValueTask(process.Channel.SendEofAsync()) : null;
            return SshSink.FromWriter(() => new DelegateSinkWriter((data, ct) => new ValueTask(output.WriteAsync(data, ct)), eof), eof);
        }
    }
}
