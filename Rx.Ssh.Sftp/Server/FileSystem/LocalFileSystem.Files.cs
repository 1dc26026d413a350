using Microsoft.Win32.SafeHandles;
using Rx.Ssh.Sftp.Server.FileSystem;
using static Rx.Ssh.Sftp.Server.FileSystem.PosixNative;

namespace Rx.Ssh.Sftp.Server;

/// <content>Opening files and directories.</content>
public partial class LocalFileSystem
{
    /// <inheritdoc/>
    public override ValueTask<SftpOpenFile> OpenFileAsync(string path, SftpOpenFlags flags, FileSystemAttributes attributes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        return Run<SftpOpenFile>(() => Lookup<SftpOpenFile>(() =>
        {
            int mode = (flags & (SftpOpenFlags.Read | SftpOpenFlags.Write)) switch
            {
                SftpOpenFlags.Read | SftpOpenFlags.Write => O_RDWR,
                SftpOpenFlags.Write => O_WRONLY,
                _ => O_RDONLY,
            };
            if ((flags & (SftpOpenFlags.Write | SftpOpenFlags.Append)) == SftpOpenFlags.Append)
            {
                mode = (flags & SftpOpenFlags.Read) != 0 ? O_RDWR : O_WRONLY;
            }

            if ((flags & SftpOpenFlags.Append) != 0)
            {
                mode |= O_APPEND;
            }

            if ((flags & SftpOpenFlags.Create) != 0)
            {
                mode |= O_CREAT;
                mode |= (flags & SftpOpenFlags.Truncate) != 0 ? O_TRUNC : 0;
                mode |= (flags & SftpOpenFlags.Exclusive) != 0 ? O_EXCL : 0;
            }
            else if ((flags & SftpOpenFlags.Truncate) != 0)
            {
                mode |= O_TRUNC;
            }

            // Confined: the path is resolved with every link followed, so a link the kernel would
            // meet now appeared since; refuse it rather than follow it.
            if (IsConfined)
            {
                mode |= O_NOFOLLOW;
            }

            string host = MapPath(path, followFinalLink: true);
            SafeFileHandle handle = Posix.Open(host, mode, (attributes.Permissions ?? 0x1B6) & 0xFFF);
            try
            {
                if (Posix.Stat(handle).Type == FileSystemEntryType.Directory)
                {
                    throw new SftpFileSystemException(FileSystemError.IsDirectory, "Is a directory");
                }

                return new LocalOpenFile(handle);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }));
    }

    /// <inheritdoc/>
    public override ValueTask<SftpOpenDirectory> OpenDirectoryAsync(string path, CancellationToken cancellationToken) => Run<SftpOpenDirectory>(() => Lookup<SftpOpenDirectory>(() =>
    {
        string host = MapPath(path, followFinalLink: true);
        FileSystemAttributes self = Posix.Stat(host, followLinks: true);
        if (self.Type != FileSystemEntryType.Directory)
        {
            throw new SftpFileSystemException(FileSystemError.NotDirectory, "Not a directory");
        }

        string parent = host == Root ? host : Path.GetDirectoryName(host) ?? host;
        return new LocalOpenDirectory(this, host, self, parent);
    }));

    /// <summary>The <c>ls -l</c> line for an entry (user and group names looked up and cached).</summary>
    /// <param name="name">The entry's name.</param>
    /// <param name="attributes">Its attributes.</param>
    /// <returns>The line.</returns>
    protected internal string FormatLongName(string name, FileSystemAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        string? user = attributes.UserId is { } uid ? _names.User(uid) : null;
        string? group = attributes.GroupId is { } gid ? _names.Group(gid) : null;
        return LongName.Format(name, attributes, user, group);
    }
}
