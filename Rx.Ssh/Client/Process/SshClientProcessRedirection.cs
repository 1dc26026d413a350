using Rx.Ssh.Redirection;

namespace Rx.Ssh;

/// <summary>
/// <see cref="SshSource"/> and <see cref="SshSink"/> factories for a client-side remote process, called as
/// <c>SshSource.FromRemote(process)</c> and <c>SshSink.ToRemote(process)</c>. They live beside the
/// process (not in <c>Redirection/</c>, which sits below the client) so the layers have no cycle.
/// </summary>
public static class SshClientProcessRedirection
{
    extension(SshSource)
    {
        /// <summary>
        /// A remote process's standard output (or error, with <paramref name="stderr"/>), on this or
        /// another connection, read to its end (window goes back to its server as it is read). The
        /// other stream shares the channel's window; left unread, it is held up to a bound and then
        /// discarded, so it cannot stall this one (see <see cref="SshProcessReader"/>).
        /// </summary>
        public static SshSource FromRemote(SshClientProcess process, bool stderr = false)
        {
            ArgumentNullException.ThrowIfNull(process);
            SshProcessReader reader = stderr ? process.Stderr : process.Stdout;
            return SshSource.FromReader(() => new DelegateSourceReader(reader.ReadAsync));
        }
    }

    extension(SshSink)
    {
        /// <summary>
        /// A remote process's standard input, on this or another connection; EOF is sent at the end
        /// unless <paramref name="sendEof"/> is false. Writes wait for that process's window.
        /// </summary>
        public static SshSink ToRemote(SshClientProcess process, bool sendEof = true)
        {
            ArgumentNullException.ThrowIfNull(process);
            Func<CancellationToken, ValueTask>? eof = sendEof ? ct => new ValueTask(process.Stdin.CloseAsync(ct)) : null;
            return SshSink.FromWriter(() => new DelegateSinkWriter((data, ct) => new ValueTask(process.Stdin.WriteAsync(data, ct)), eof), eof);
        }
    }
}
