namespace Rx.Ssh.Sftp.Server;

/// <summary>Any exception a file system threw, as an <see cref="SftpFileSystemException"/> (what the client is told).</summary>
public static class FileSystemErrors
{
    /// <summary>
    /// Classifies <paramref name="exception"/>: an <see cref="SftpFileSystemException"/> as it is;
    /// file or directory not found as <see cref="FileSystemError.NoSuchFile"/>; access denied as
    /// <see cref="FileSystemError.PermissionDenied"/>; not supported as
    /// <see cref="FileSystemError.OperationUnsupported"/>; an <see cref="IOException"/> carrying an
    /// errno (as .NET's on Unix do) by that errno (ENOSPC: "No space left on device"); anything else
    /// <see cref="FileSystemError.Failure"/> with its message.
    /// </summary>
    /// <param name="exception">What was thrown.</param>
    /// <returns>The exception to report.</returns>
    public static SftpFileSystemException ToException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            SftpFileSystemException fs => fs,
            FileNotFoundException or DirectoryNotFoundException => new(FileSystemError.NoSuchFile, "No such file or directory", exception),
            UnauthorizedAccessException => new(FileSystemError.PermissionDenied, "Permission denied", exception),
            NotSupportedException => new(FileSystemError.OperationUnsupported, "Operation unsupported", exception),
            PathTooLongException => new(FileSystemError.NameTooLong, "File name too long", exception),
            EndOfStreamException => new(FileSystemError.EndOfFile, "End of file", exception),
            IOException io when io.HResult is > 0 and < 4096 => FileSystem.PosixErrors.From(io.HResult),
            _ => new(FileSystemError.Failure, exception.Message, exception),
        };
    }
}
