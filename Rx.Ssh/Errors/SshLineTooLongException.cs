namespace Rx.Ssh;

/// <summary>
/// A line read with <c>ReadLineAsync</c> or <c>Lines</c> (a client process's stdout or stderr, a
/// server process's stdin) was longer than the reader's cap: <see cref="SshProcessOptions.MaxLineLength"/>
/// on the client, <see cref="SshServerOptions.MaxLineLength"/> on the server. The part read so far
/// is dropped (memory stays bounded by the cap) and the next read goes on after it: nothing is cut
/// silently.
/// </summary>
public sealed class SshLineTooLongException : SshChannelException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="stream">Which stream the line was on (stdout or stderr on the client, stdin on the server).</param>
    /// <param name="limit">The cap that was passed.</param>
    public SshLineTooLongException(SshStandardStream stream, long limit)
        : base($"A line on {stream.ToString().ToLowerInvariant()} is longer than the limit of {limit}.")
    {
        Stream = stream;
        Limit = limit;
    }

    /// <summary>The stream the line was on: stdout or stderr on the client, stdin on the server.</summary>
    public SshStandardStream Stream { get; }

    /// <summary>The cap (bytes on the client, characters on the server).</summary>
    public long Limit { get; }
}
