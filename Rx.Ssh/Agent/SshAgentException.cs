namespace Rx.Ssh;

/// <summary>
/// A request to an ssh-agent failed: the socket is gone, the agent refused, answered garbage or did not
/// answer in time. <see cref="Failure"/> says which and <see cref="SocketPath"/> names the agent; the
/// message names both.
/// </summary>
public sealed class SshAgentException : SshException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="failure">What went wrong.</param>
    /// <param name="socketPath">The agent's socket path.</param>
    /// <param name="message">The message (the socket path is expected in it).</param>
    /// <param name="innerException">The cause, if any.</param>
    public SshAgentException(SshAgentFailure failure, string socketPath, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
        SocketPath = socketPath;
    }

    /// <summary>Creates the exception with a message.</summary>
    public SshAgentException(string message)
        : this(SshAgentFailure.Unavailable, string.Empty, message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public SshAgentException(string message, Exception? innerException)
        : this(SshAgentFailure.Unavailable, string.Empty, message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public SshAgentException()
        : this("ssh-agent error")
    {
    }

    /// <summary>What went wrong.</summary>
    public SshAgentFailure Failure { get; }

    /// <summary>The agent's socket path (empty when not known).</summary>
    public string SocketPath { get; }
}
