using System.Runtime.InteropServices;
using static Rx.Ssh.Sftp.Server.FileSystem.PosixNative;

namespace Rx.Ssh.Sftp.Server.FileSystem;

/// <summary>errno values as <see cref="SftpFileSystemException"/>s (the kind picks the SFTP status; the message is libc's, never a host path).</summary>
internal static class PosixErrors
{
    /// <summary>The exception for the errno of the last failed call.</summary>
    public static SftpFileSystemException Last() => From(Marshal.GetLastPInvokeError());

    /// <summary>The exception for <paramref name="errno"/>.</summary>
    public static SftpFileSystemException From(int errno)
    {
        FileSystemError kind = errno switch
        {
            ENOENT => FileSystemError.NoSuchFile,
            ENOTDIR => FileSystemError.NotDirectory,
            EACCES or EPERM or EROFS => FileSystemError.PermissionDenied,
            ENOSPC or EDQUOT => FileSystemError.NoSpace,
            EEXIST => FileSystemError.FileExists,
            ENOTEMPTY => FileSystemError.DirectoryNotEmpty,
            EISDIR => FileSystemError.IsDirectory,
            ELOOP => FileSystemError.TooManyLinks,
            ENAMETOOLONG => FileSystemError.NameTooLong,
            ENOSYS or EOPNOTSUPP => FileSystemError.OperationUnsupported,
            _ => FileSystemError.Failure,
        };
        string message = kind == FileSystemError.NoSpace ? "No space left on device" : Marshal.GetPInvokeErrorMessage(errno);
        return new SftpFileSystemException(kind, message);
    }

    /// <summary>Throws for the last errno when <paramref name="result"/> is negative.</summary>
    public static void Check(int result)
    {
        if (result < 0)
        {
            throw Last();
        }
    }
}
