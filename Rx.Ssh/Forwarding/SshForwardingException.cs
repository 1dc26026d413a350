namespace Rx.Ssh;

/// <summary>The server refused a forwarding request (<c>tcpip-forward</c>, <c>streamlocal-forward@openssh.com</c>): e.g. the port is taken or forwarding is not allowed.</summary>
public sealed class SshForwardingException : SshException
{
    /// <summary>Creates the exception.</summary>
    public SshForwardingException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    /// <param name="message">What was refused.</param>
    public SshForwardingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    /// <param name="message">What was refused.</param>
    /// <param name="innerException">The cause.</param>
    public SshForwardingException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
