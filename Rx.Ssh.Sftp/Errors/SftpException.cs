namespace Rx.Ssh.Sftp;

/// <summary>
/// An SFTP request the server answered with a failure status (or, for
/// <see cref="SftpStatusCode.ConnectionLost"/> and <see cref="SftpStatusCode.NoConnection"/>, one
/// the session could not complete). <see cref="Exception.Message"/> is the server's message when it
/// sent one, else the code's name.
/// </summary>
public class SftpException : SshException
{
    /// <summary>Creates an exception for a status code and message.</summary>
    /// <param name="code">The status code.</param>
    /// <param name="message">The server's message; the code's name when empty.</param>
    public SftpException(SftpStatusCode code, string? message)
        : base(string.IsNullOrEmpty(message) ? Describe(code) : message)
    {
        Code = code;
    }

    /// <summary>Creates an exception for a status code and message with the error that caused it.</summary>
    /// <param name="code">The status code.</param>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SftpException(SftpStatusCode code, string? message, Exception? innerException)
        : base(string.IsNullOrEmpty(message) ? Describe(code) : message, innerException)
    {
        Code = code;
    }

    /// <summary>Creates a <see cref="SftpStatusCode.Failure"/> exception with a message.</summary>
    /// <param name="message">The message.</param>
    public SftpException(string message)
        : this(SftpStatusCode.Failure, message)
    {
    }

    /// <summary>Creates a <see cref="SftpStatusCode.Failure"/> exception with a message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SftpException(string message, Exception? innerException)
        : this(SftpStatusCode.Failure, message, innerException)
    {
    }

    /// <summary>Creates a <see cref="SftpStatusCode.Failure"/> exception with a default message.</summary>
    public SftpException()
        : this(SftpStatusCode.Failure, null)
    {
    }

    /// <summary>The status code.</summary>
    public SftpStatusCode Code { get; }

    /// <summary>A short English description of a status code.</summary>
    /// <param name="code">The code.</param>
    /// <returns>The description.</returns>
    public static string Describe(SftpStatusCode code) => code switch
    {
        SftpStatusCode.Ok => "Success",
        SftpStatusCode.Eof => "End of file",
        SftpStatusCode.NoSuchFile => "No such file",
        SftpStatusCode.PermissionDenied => "Permission denied",
        SftpStatusCode.Failure => "Failure",
        SftpStatusCode.BadMessage => "Bad message",
        SftpStatusCode.NoConnection => "No connection",
        SftpStatusCode.ConnectionLost => "Connection lost",
        SftpStatusCode.OperationUnsupported => "Operation unsupported",
        _ => $"SFTP status {(uint)code}",
    };
}
