namespace Rx.Ssh.Sftp.Server;

/// <summary>
/// Why a file-system operation failed, in the terms an SFTP server reports. The server turns each
/// into a status code and message (see <see cref="SftpFileSystemException"/>): the first three are
/// SFTP version 3 codes of their own; the others travel as FAILURE with a message naming them.
/// </summary>
public enum FileSystemError
{
    /// <summary>A failure with no more specific kind (FAILURE).</summary>
    Failure,

    /// <summary>No such file or directory, or a path component is not a directory (NO_SUCH_FILE).</summary>
    NoSuchFile,

    /// <summary>Permission denied, read-only file system, or outside the session's root (PERMISSION_DENIED).</summary>
    PermissionDenied,

    /// <summary>The file system cannot do this (OP_UNSUPPORTED).</summary>
    OperationUnsupported,

    /// <summary>The request was malformed for this operation (BAD_MESSAGE).</summary>
    BadMessage,

    /// <summary>No space left on the device, or a quota exceeded (FAILURE, "No space left on device").</summary>
    NoSpace,

    /// <summary>The target already exists (FAILURE).</summary>
    FileExists,

    /// <summary>The directory is not empty (FAILURE).</summary>
    DirectoryNotEmpty,

    /// <summary>A directory where a file was expected (FAILURE).</summary>
    IsDirectory,

    /// <summary>A component that must be a directory is not one (NO_SUCH_FILE, as sshd reports ENOTDIR).</summary>
    NotDirectory,

    /// <summary>Too many levels of symbolic links (FAILURE).</summary>
    TooManyLinks,

    /// <summary>A name or path too long (FAILURE).</summary>
    NameTooLong,

    /// <summary>An end of file where data was expected (EOF).</summary>
    EndOfFile,
}
