namespace Rx.Ssh.Sftp.Server;

/// <summary>
/// A file-system operation failed for a reason the SFTP server reports to the client
/// (<see cref="Error"/> picks the status code, <see cref="Exception.Message"/> is the status
/// message). Implementations of <see cref="SftpFileSystem"/> throw it; the server also maps common
/// .NET exceptions (<see cref="FileNotFoundException"/>, <see cref="UnauthorizedAccessException"/>,
/// <see cref="NotSupportedException"/>, an <see cref="IOException"/> carrying an errno) the same way.
/// </summary>
public sealed class SftpFileSystemException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="error">The kind of failure.</param>
    /// <param name="message">The message the client sees.</param>
    public SftpFileSystemException(FileSystemError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>Creates the exception with an inner exception.</summary>
    /// <param name="error">The kind of failure.</param>
    /// <param name="message">The message the client sees.</param>
    /// <param name="innerException">What caused it.</param>
    public SftpFileSystemException(FileSystemError error, string message, Exception? innerException)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>Creates an exception of kind <see cref="FileSystemError.Failure"/>.</summary>
    public SftpFileSystemException()
        : this(FileSystemError.Failure, "Failure")
    {
    }

    /// <summary>Creates an exception of kind <see cref="FileSystemError.Failure"/>.</summary>
    /// <param name="message">The message the client sees.</param>
    public SftpFileSystemException(string message)
        : this(FileSystemError.Failure, message)
    {
    }

    /// <summary>Creates an exception of kind <see cref="FileSystemError.Failure"/> with an inner exception.</summary>
    /// <param name="message">The message the client sees.</param>
    /// <param name="innerException">What caused it.</param>
    public SftpFileSystemException(string message, Exception? innerException)
        : this(FileSystemError.Failure, message, innerException)
    {
    }

    /// <summary>The kind of failure.</summary>
    public FileSystemError Error { get; }

    /// <summary>The operation is not supported (<see cref="FileSystemError.OperationUnsupported"/>).</summary>
    /// <param name="operation">What was asked, for the message.</param>
    public static SftpFileSystemException Unsupported(string operation) =>
        new(FileSystemError.OperationUnsupported, $"Operation unsupported: {operation}");

    /// <summary>A path outside the session's root, refused (<see cref="FileSystemError.PermissionDenied"/>).</summary>
    public static SftpFileSystemException OutsideRoot() =>
        new(FileSystemError.PermissionDenied, "Permission denied");
}
