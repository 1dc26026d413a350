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
    /// <param name="stream">Which stream the line was on (<c>stdout</c>, <c>stderr</c>, <c>stdin</c>).</param>
    /// <param name="limit">The cap that was passed.</param>
    public SshLineTooLongException(string stream, long limit)
        : base($"A line on {stream} is longer than the limit of {limit}.")
    {
        StreamName = stream;
        Limit = limit;
    }

    /// <summary>The stream the line was on: <c>stdout</c>, <c>stderr</c> or <c>stdin</c>.</summary>
    public string StreamName { get; }

    /// <summary>The cap (bytes on the client, characters on the server).</summary>
    public long Limit { get; }
}
