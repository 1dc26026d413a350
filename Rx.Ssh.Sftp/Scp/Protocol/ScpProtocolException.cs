namespace Rx.Ssh.Sftp.Scp.Protocol;

/// <summary>The peer broke the rcp protocol (a malformed or unexpected control line, a short stream): the copy cannot go on.</summary>
internal sealed class ScpProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was wrong, safe to send back to the peer.</param>
    public ScpProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ScpProtocolException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ScpProtocolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
