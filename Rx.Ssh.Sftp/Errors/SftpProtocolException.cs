namespace Rx.Ssh.Sftp;

/// <summary>
/// An SFTP packet that does not follow the protocol: a lying length, a truncated field, trailing
/// bytes, invalid UTF-8, a packet longer than the agreed maximum, or a reply of the wrong type.
/// </summary>
public sealed class SftpProtocolException : SshFormatException
{
    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What was wrong.</param>
    public SftpProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the error that caused it.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public SftpProtocolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with a default message.</summary>
    public SftpProtocolException()
        : base("Malformed SFTP packet")
    {
    }
}
