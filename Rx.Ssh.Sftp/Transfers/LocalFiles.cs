namespace Rx.Ssh.Sftp.Transfers;

/// <summary>Local file attributes for preserving transfers.</summary>
internal static class LocalFiles
{
    /// <summary>The local file's attributes to send (permissions and times as the options ask), a symbolic link's target's.</summary>
    public static SftpAttributes Describe(string path, SftpTransferOptions options)
    {
        // FileInfo's times are the link's own (lstat); a followed link is described by its target.
        FileSystemInfo info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
            path = info.FullName;
        }

        return new SftpAttributes
        {
            Permissions = options.PreservePermissions && !OperatingSystem.IsWindows() ? (uint)File.GetUnixFileMode(path) & 0xFFF : null,
            AccessTime = options.PreserveTimes ? new DateTimeOffset(info.LastAccessTimeUtc) : null,
            ModifyTime = options.PreserveTimes ? new DateTimeOffset(info.LastWriteTimeUtc) : null,
        };
    }

    /// <summary>Applies a remote file's permissions and times to a local file, as the options ask.</summary>
    public static void Apply(string path, SftpAttributes attributes, SftpTransferOptions options)
    {
        if (options.PreservePermissions && attributes.Permissions is uint mode && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)(mode & 0xFFF));
        }

        if (options.PreserveTimes && attributes.ModifyTime is DateTimeOffset mtime)
        {
            File.SetLastWriteTimeUtc(path, mtime.UtcDateTime);
            if (attributes.AccessTime is DateTimeOffset atime)
            {
                File.SetLastAccessTimeUtc(path, atime.UtcDateTime);
            }
        }
    }
}
