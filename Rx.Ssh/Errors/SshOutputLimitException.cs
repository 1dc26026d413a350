namespace Rx.Ssh;

/// <summary>
/// A remote process produced more output than the client agreed to hold: its captured stdout or
/// stderr passed <see cref="SshProcessOptions.MaxOutputBytes"/>, or a stream nobody read was
/// discarded (see <see cref="SshProcessReader"/>); a line over the line cap is
/// <see cref="SshLineTooLongException"/>. Nothing is truncated silently: the run fails (and its
/// channel is closed) or the read fails.
/// </summary>
public sealed class SshOutputLimitException : SshChannelException
{
    /// <summary>Creates the exception.</summary>
    public SshOutputLimitException(SshStandardStream stream, long limit, string what)
        : base($"The remote process's {stream.ToString().ToLowerInvariant()} exceeded the limit of {limit} bytes {what}.")
    {
        Stream = stream;
        Limit = limit;
    }

    /// <summary>The output stream that went over.</summary>
    public SshStandardStream Stream { get; }

    /// <summary>The limit, in bytes.</summary>
    public long Limit { get; }
}
