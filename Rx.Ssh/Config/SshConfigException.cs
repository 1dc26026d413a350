namespace Rx.Ssh;

/// <summary>
/// An OpenSSH client configuration file (<c>~/.ssh/config</c>, <c>/etc/ssh/ssh_config</c> or one they
/// include) that cannot be used: a syntax error (an unterminated quote, a keyword without its
/// value, a bad <c>Match</c>), an <c>Include</c> nested too deeply, or a file over the size limit.
/// The message names the file and line, as ssh's does.
/// </summary>
public sealed class SshConfigException : SshException
{
    /// <summary>Creates the exception with a default message.</summary>
    public SshConfigException()
        : base("Bad SSH configuration")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SshConfigException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public SshConfigException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for line <paramref name="lineNumber"/> of <paramref name="fileName"/>.</summary>
    /// <param name="fileName">The file (or the name given to the text parsed).</param>
    /// <param name="lineNumber">The line, from 1.</param>
    /// <param name="problem">What is wrong there.</param>
    public SshConfigException(string fileName, int lineNumber, string problem)
        : base($"{fileName} line {lineNumber}: {problem}")
    {
        FileName = fileName;
        LineNumber = lineNumber;
    }

    /// <summary>Creates the exception for the whole of <paramref name="fileName"/> (too large, unreadable).</summary>
    internal SshConfigException(string fileName, string message, Exception? innerException)
        : base(message, innerException)
    {
        FileName = fileName;
    }

    /// <summary>The file the error is in (about one line, or the whole file: unreadable, too large).</summary>
    public string? FileName { get; }

    /// <summary>The line the error is on (from 1), or 0.</summary>
    public int LineNumber { get; }
}
