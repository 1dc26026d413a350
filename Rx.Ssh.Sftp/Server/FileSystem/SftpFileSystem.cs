namespace Rx.Ssh.Sftp.Server;

/// <summary>
/// The file system an SFTP server session runs on: one instance per session (see
/// <c>SftpServerOptions.FileSystemFactory</c>). Paths are SFTP paths as the client sent
/// them (absolute, or relative to the session's start directory); the implementation maps them to
/// whatever it stores. Every operation is async and virtual: a virtual file system overrides what it
/// supports, the rest answer <see cref="FileSystemError.OperationUnsupported"/>. Failures are
/// <see cref="SftpFileSystemException"/> (or the .NET exceptions it lists), which the server turns
/// into status replies. Calls may run concurrently. <see cref="LocalFileSystem"/> is the ready-made
/// implementation on the local disk (optionally confined to a root).
/// </summary>
public abstract class SftpFileSystem : IAsyncDisposable
{
    /// <summary>Opens (or creates) a file (SSH_FXP_OPEN).</summary>
    /// <param name="path">The file's path.</param>
    /// <param name="flags">How to open it.</param>
    /// <param name="attributes">Attributes for a file created now (permissions); may be empty.</param>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>The open file, which the server disposes at CLOSE or the session's end.</returns>
    public virtual ValueTask<SftpOpenFile> OpenFileAsync(string path, SftpOpenFlags flags, FileSystemAttributes attributes, CancellationToken cancellationToken) =>
        throw SftpFileSystemException.Unsupported("open");

    /// <summary>Opens a directory for listing (SSH_FXP_OPENDIR).</summary>
    /// <param name="path">The directory's path.</param>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>The open directory, which the server disposes at CLOSE or the session's end.</returns>
    public virtual ValueTask<SftpOpenDirectory> OpenDirectoryAsync(string path, CancellationToken cancellationToken) =>
        throw SftpFileSystemException.Unsupported("opendir");

    /// <summary>A path's attributes (SSH_FXP_STAT following symbolic links, SSH_FXP_LSTAT not).</summary>
    /// <param name="path">The path.</param>
    /// <param name="followLinks">Whether a final symbolic link is followed.</param>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>The attributes.</returns>
    public virtual ValueTask<FileSystemAttributes> GetAttributesAsync(string path, bool followLinks, CancellationToken cancellationToken) =>
        throw SftpFileSystemException.Unsupported("stat");

    /// <summary>Changes a path's attributes (SSH_FXP_SETSTAT following links, <c>lsetstat@openssh.com</c> not).</summary>
    /// <param name="path">The path.</param>
    /// <param name="attributes">What to change: size, owner, permissions, times, each when given.</param>
    /// <param name="followLinks">Whether a final symbolic link is followed.</param>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>Completes when changed.</returns>
    public virtual ValueTask SetAttributesAsync(string path, FileSystemAttributes attributes, bool followLinks, CancellationToken cancellationToken) =>
        throw SftpFileSystemException.Unsupported("setstat");

    /// <summary>Creates a directory (SSH_FXP_MKDIR); its parent must exist.</summary>
    /// <param name="path">The new directory's path.</param>
    /// <param name="attributes">Its attributes (permissions); may be empty.</param>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>Completes when created.</returns>
    public virtual ValueTask CreateDirectoryAsync(string path, FileSystemAttributes attributes, CancellationToken cancellationToken) =>
        throw SftpFileSystemException.Unsupported("mkdir");

    /// <summary>Removes an empty directory (SSH_FXP_RMDIR).</summary>
    /// <param name="path">The directory's path.</param>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>Completes when removed.</returns>
    public virtual ValueTask RemoveDirectoryAsync(string path, CancellationToken cancellationToken) =>
        throw SftpFileSystemException.Unsupported("rmdir");

    /// <summary>Removes a file or symbolic link (SSH_FXP_REMOVE).</summary>
    /// <param name="path">The path.</param>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>Completes when removed.</returns>
    public virtual ValueTask RemoveFileAsync(string path, CancellationToken cancellationToken) =>
        throw SftpFileSystemException.Unsupported("remove");

    /// <summary>
    /// Renames (SSH_FXP_RENAME, which fails when <paramref name="newPath"/> exists; with
    /// <paramref name="replace"/>, <c>posix-rename@openssh.com</c>, which replaces it atomically).
    /// </summary>
    /// <param name="oldPath">What to rename.</param>
    /// <param name="newPath">The new path.</param>
    /// <param name="replace">Whether an existing <paramref name="newPath"/> is replaced.</param>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>Completes when renamed.</returns>
    public virtual ValueTask RenameAsync(string oldPath, string newPath, bool replace, CancellationToken cancellationToken) =>
        throw SftpFileSystemException.Unsupported("rename");

    /// <summary>Creates a symbolic link at <paramref name="linkPath"/> pointing to <paramref name="targetPath"/> (SSH_FXP_SYMLINK).</summary>
    /// <param name="linkPath">Where the link is made.</param>
    /// <param name="targetPath">What it points to (stored as given, relative or absolute).</param>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>Completes when created.</returns>
    public virtual ValueTask CreateSymbolicLinkAsync(string linkPath, string targetPath, CancellationToken cancellationToken) =>
        throw SftpFileSystemException.Unsupported("symlink");

    /// <summary>A symbolic link's target (SSH_FXP_READLINK).</summary>
    /// <param name="path">The link's path.</param>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>The target as stored.</returns>
    public virtual ValueTask<string> ReadLinkAsync(string path, CancellationToken cancellationToken) =>
        throw SftpFileSystemException.Unsupported("readlink");

    /// <summary>
    /// The canonical absolute path of <paramref name="path"/> (SSH_FXP_REALPATH): <c>.</c>, <c>..</c>
    /// and symbolic links resolved; the final component need not exist.
    /// </summary>
    /// <param name="path">The path (empty or <c>.</c>: the start directory).</param>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>The canonical path, as the client sees it.</returns>
    public virtual ValueTask<string> RealPathAsync(string path, CancellationToken cancellationToken) =>
        throw SftpFileSystemException.Unsupported("realpath");

    /// <summary>Creates a hard link at <paramref name="newPath"/> to <paramref name="existingPath"/> (<c>hardlink@openssh.com</c>).</summary>
    /// <param name="existingPath">The existing file.</param>
    /// <param name="newPath">The new link.</param>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>Completes when created.</returns>
    public virtual ValueTask CreateHardLinkAsync(string existingPath, string newPath, CancellationToken cancellationToken) =>
        throw SftpFileSystemException.Unsupported("hardlink");

    /// <summary>Statistics of the file system holding <paramref name="path"/> (<c>statvfs@openssh.com</c>).</summary>
    /// <param name="path">Any path on it.</param>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>The statistics.</returns>
    public virtual ValueTask<FileSystemSpace> GetSpaceAsync(string path, CancellationToken cancellationToken) =>
        throw SftpFileSystemException.Unsupported("statvfs");

    /// <summary>A user's home directory as the client sees it (<c>home-directory</c>, and <c>~user</c> in <c>expand-path@openssh.com</c>).</summary>
    /// <param name="userName">The user.</param>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>The home directory's path.</returns>
    public virtual ValueTask<string> GetHomeDirectoryAsync(string userName, CancellationToken cancellationToken) =>
        throw SftpFileSystemException.Unsupported("home-directory");

    /// <summary>The user name of a numeric user id (<c>users-groups-by-id@openssh.com</c>), null when unknown.</summary>
    /// <param name="userId">The id.</param>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>The name, or null.</returns>
    public virtual ValueTask<string?> GetUserNameAsync(uint userId, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);

    /// <summary>The group name of a numeric group id (<c>users-groups-by-id@openssh.com</c>), null when unknown.</summary>
    /// <param name="groupId">The id.</param>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>The name, or null.</returns>
    public virtual ValueTask<string?> GetGroupNameAsync(uint groupId, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);

    /// <summary>
    /// Copies <paramref name="length"/> bytes (0: to the end of the source) from one open file to
    /// another (<c>copy-data</c>), without the data crossing the network. The default reads and
    /// writes in 256 KiB blocks; override for a faster way (e.g. a server-side copy call).
    /// </summary>
    /// <param name="source">The open file to read (opened for reading).</param>
    /// <param name="sourceOffset">Where reading starts.</param>
    /// <param name="length">How many bytes; 0 copies to the source's end.</param>
    /// <param name="destination">The open file to write (opened for writing).</param>
    /// <param name="destinationOffset">Where writing starts.</param>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    /// <returns>Completes when copied (a short source ends the copy early, as OpenSSH does).</returns>
    public virtual async ValueTask CopyDataAsync(SftpOpenFile source, long sourceOffset, long length, SftpOpenFile destination, long destinationOffset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            long remaining = length == 0 ? long.MaxValue : length;
            while (remaining > 0)
            {
                int wanted = (int)Math.Min(remaining, buffer.Length);
                int read = await source.ReadAsync(sourceOffset, buffer.AsMemory(0, wanted), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                await destination.WriteAsync(destinationOffset, buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                sourceOffset += read;
                destinationOffset += read;
                remaining -= read;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Releases what the file system holds for the session (called once, when it ends).</summary>
    /// <returns>Completes when released.</returns>
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the file system holds (override when it holds something).</summary>
    /// <returns>Completes when released.</returns>
    protected virtual ValueTask DisposeAsyncCore() => ValueTask.CompletedTask;
}
