namespace Rx.Ssh.Sftp;

/// <summary>
/// An SCP copy failed, wholly or for some files: <see cref="Exception.Message"/> is the remote's
/// (or the local side's) text, the <c>scp: </c> prefix removed; <see cref="Errors"/> holds every
/// file's error of a multi-file copy (the files not listed were copied); <see cref="IsFatal"/>
/// when the copy stopped (a fatal <c>\x02</c> line or a protocol violation) rather than going on.
/// </summary>
public sealed class ScpException : SshException
{
    /// <summary>Creates the exception for one or more errors.</summary>
    /// <param name="errors">The errors, first first (at least one).</param>
    /// <param name="isFatal">Whether the copy stopped.</param>
    public ScpException(IReadOnlyList<string> errors, bool isFatal)
        : base(errors is { Count: > 0 } ? string.Join("; ", errors) : "SCP copy failed")
    {
        Errors = errors ?? [];
        IsFatal = isFatal;
    }

    /// <summary>Creates the exception.</summary>
    public ScpException()
        : this(["SCP copy failed"], true)
    {
    }

    /// <summary>Creates the exception with one message.</summary>
    /// <param name="message">The message.</param>
    public ScpException(string message)
        : this([message], true)
    {
    }

    /// <summary>Creates the exception with one message and its cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ScpException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Errors = [message];
        IsFatal = true;
    }

    /// <summary>Every error reported, in order.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Whether the copy stopped at the error (otherwise the other files went on).</summary>
    public bool IsFatal { get; }
}
