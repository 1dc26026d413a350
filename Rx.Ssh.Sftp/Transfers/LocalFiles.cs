using Microsoft.Win32.SafeHandles;

namespace Rx.Ssh.Sftp.Transfers;

/// <summary>
/// The local side of transfers: file I/O and attributes for preserving transfers. Outside Windows
/// the blocks are read and written synchronously on the transfer's own thread-pool thread: .NET's
/// asynchronous file I/O there is the same blocking call queued to another thread-pool thread, one
/// more thread hop (and wake-up) per block for nothing. On Windows the handle is opened for
/// overlapped I/O and awaited.
/// </summary>
internal static class LocalFiles
{
    private static readonly FileOptions IoOptions = OperatingSystem.IsWindows() ? FileOptions.Asynchronous : FileOptions.None;

    /// <summary>Opens a local file for a transfer's blocks.</summary>
    public static SafeFileHandle Open(string path, FileMode mode, FileAccess access) =>
        File.OpenHandle(path, mode, access, FileShare.Read, IoOptions);

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/>.</summary>
    public static ValueTask WriteAsync(SafeFileHandle file, ReadOnlyMemory<byte> data, long offset, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            return RandomAccess.WriteAsync(file, data, offset, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        RandomAccess.Write(file, data.Span, offset);
        return ValueTask.CompletedTask;
    }

    /// <summary>Reads into <paramref name="buffer"/> from <paramref name="offset"/>; fewer bytes only at the end of the file.</summary>
    public static async ValueTask<int> ReadFullyAsync(SafeFileHandle file, Memory<byte> buffer, long offset, CancellationToken cancellationToken)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n;
            if (OperatingSystem.IsWindows())
            {
                n = await RandomAccess.ReadAsync(file, buffer[total..], offset + total, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                cancellationToken.ThrowIfCancellationRequested();
                n = RandomAccess.Read(file, buffer.Span[total..], offset + total);
            }

            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

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
