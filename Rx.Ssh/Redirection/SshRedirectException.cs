namespace Rx.Ssh;

/// <summary>
/// A redirection stopped part way: its source failed to open or read, or its destination failed
/// to open or write (a full disk, a local process that could not start, a remote process whose
/// channel closed before taking all its input). <see cref="Exception.InnerException"/> is the cause.
/// </summary>
public sealed class SshRedirectException : SshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="stream">The process stream being redirected.</param>
    /// <param name="sourceFailed">True when the source failed, false when the destination did.</param>
    /// <param name="innerException">The cause.</param>
    public SshRedirectException(SshStandardStream stream, bool sourceFailed, Exception innerException)
        : base(Describe(stream, sourceFailed, innerException), innerException)
    {
        Stream = stream;
        SourceFailed = sourceFailed;
    }

    /// <summary>Creates the exception with a message.</summary>
    public SshRedirectException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public SshRedirectException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public SshRedirectException()
        : base("Redirection failed.")
    {
    }

    /// <summary>The process stream being redirected.</summary>
    public SshStandardStream Stream { get; }

    /// <summary>True when the source failed (open or read), false when the destination did (open, write or close).</summary>
    public bool SourceFailed { get; }

    private static string Describe(SshStandardStream stream, bool sourceFailed, Exception? cause) =>
        $"Redirecting {stream.ToString().ToLowerInvariant()} failed: the {(sourceFailed ? "source" : "destination")} failed: {cause?.Message}";
}
