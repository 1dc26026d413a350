using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using static Rx.Ssh.Sftp.Server.FileSystem.PosixNative;

namespace Rx.Ssh.Sftp.Server.FileSystem;

/// <summary>The libc calls of <see cref="PosixNative"/> as methods that return .NET values and throw <see cref="SftpFileSystemException"/>.</summary>
internal static unsafe class Posix
{
    /// <summary>stat (or lstat) of a path; null when it does not exist (ENOENT), other errors thrown.</summary>
    public static FileSystemAttributes? TryStat(string path, bool followLinks)
    {
        byte* buffer = stackalloc byte[StatxSize];
        if (statx(AT_FDCWD, path, followLinks ? 0 : AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buffer) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == ENOENT ? null : throw PosixErrors.From(errno);
        }

        return Read(buffer);
    }

    /// <summary>lstat of <paramref name="name"/> in the open directory <paramref name="directory"/>; null when it does not exist.</summary>
    public static FileSystemAttributes? TryLStatAt(SafeFileHandle directory, string name)
    {
        byte* buffer = stackalloc byte[StatxSize];
        if (statx(Fd(directory), name, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buffer) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == ENOENT ? null : throw PosixErrors.From(errno);
        }

        return Read(buffer);
    }

    /// <summary>stat (or lstat) of a path.</summary>
    public static FileSystemAttributes Stat(string path, bool followLinks) =>
        TryStat(path, followLinks) ?? throw PosixErrors.From(ENOENT);

    /// <summary>fstat of an open file.</summary>
    public static FileSystemAttributes Stat(SafeFileHandle file)
    {
        byte* buffer = stackalloc byte[StatxSize];
        PosixErrors.Check(statx(Fd(file), string.Empty, AT_EMPTY_PATH, STATX_BASIC_STATS, buffer));
        return Read(buffer);
    }

    /// <summary>Opens a file with exact flags and creation mode.</summary>
    public static SafeFileHandle Open(string path, int flags, uint mode)
    {
        int fd;
        do
        {
            fd = open(path, flags | O_CLOEXEC, mode);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == EINTR);

        PosixErrors.Check(fd);
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>readlink: the target as stored.</summary>
    public static string ReadLink(string path)
    {
        for (int size = 256; ; size *= 4)
        {
            byte[] buffer = new byte[size];
            nint length;
            fixed (byte* p = buffer)
            {
                length = readlink(path, p, (nuint)size);
            }

            if (length < 0)
            {
                throw PosixErrors.Last();
            }

            if (length < size)
            {
                return Encoding.UTF8.GetString(buffer, 0, (int)length);
            }

            if (size > 64 * 1024)
            {
                throw PosixErrors.From(ENAMETOOLONG);
            }
        }
    }

    /// <summary>statvfs of a path.</summary>
    public static FileSystemSpace Space(string path)
    {
        StatVfs result;
        PosixErrors.Check(statvfs(path, &result));
        return ToSpace(result);
    }

    /// <summary>fstatvfs of an open file.</summary>
    public static FileSystemSpace Space(SafeFileHandle file)
    {
        StatVfs result;
        PosixErrors.Check(fstatvfs(Fd(file), &result));
        return ToSpace(result);
    }

    /// <summary>Applies the given attributes to a path (size, owner, permissions, times, in sshd's order).</summary>
    public static void SetAttributes(string path, FileSystemAttributes attributes, bool followLinks)
    {
        int flags = followLinks ? 0 : AT_SYMLINK_NOFOLLOW;
        if (attributes.Size is { } size)
        {
            PosixErrors.Check(truncate(path, size));
        }

        if (attributes.Permissions is { } mode)
        {
            PosixErrors.Check(fchmodat(AT_FDCWD, path, mode & 0xFFF, flags));
        }

        if (attributes.AccessTime is not null || attributes.ModifyTime is not null)
        {
            TimeSpec* times = stackalloc TimeSpec[2];
            Times(attributes, times);
            PosixErrors.Check(utimensat(AT_FDCWD, path, times, flags));
        }

        if (attributes.UserId is not null || attributes.GroupId is not null)
        {
            PosixErrors.Check(fchownat(AT_FDCWD, path, attributes.UserId ?? uint.MaxValue, attributes.GroupId ?? uint.MaxValue, flags));
        }
    }

    /// <summary>Applies the given attributes to an open file.</summary>
    public static void SetAttributes(SafeFileHandle file, FileSystemAttributes attributes)
    {
        int fd = Fd(file);
        if (attributes.Size is { } size)
        {
            PosixErrors.Check(ftruncate(fd, size));
        }

        if (attributes.Permissions is { } mode)
        {
            PosixErrors.Check(fchmod(fd, mode & 0xFFF));
        }

        if (attributes.AccessTime is not null || attributes.ModifyTime is not null)
        {
            TimeSpec* times = stackalloc TimeSpec[2];
            Times(attributes, times);
            PosixErrors.Check(futimens(fd, times));
        }

        if (attributes.UserId is not null || attributes.GroupId is not null)
        {
            PosixErrors.Check(fchown(fd, attributes.UserId ?? uint.MaxValue, attributes.GroupId ?? uint.MaxValue));
        }
    }

    /// <summary>fsync.</summary>
    public static void Sync(SafeFileHandle file) => PosixErrors.Check(fsync(Fd(file)));

    /// <summary>The name of a user id, null when unknown.</summary>
    public static string? UserName(uint uid) => Lookup((pw, buf, size, result) => getpwuid_r(uid, pw, buf, size, result), 0);

    /// <summary>The name of a group id, null when unknown.</summary>
    public static string? GroupName(uint gid) => Lookup((gr, buf, size, result) => getgrgid_r(gid, gr, buf, size, result), 0);

    /// <summary>A user's home directory (pw_dir), null when unknown.</summary>
    public static string? HomeDirectory(string user) => Lookup((pw, buf, size, result) => getpwnam_r(user, pw, buf, size, result), 32);

    private delegate int LookupCall(byte* record, byte* buffer, nuint size, byte** result);

    // struct passwd and struct group start with char* name; pw_dir is at offset 32 on 64-bit.
    private static string? Lookup(LookupCall call, int fieldOffset)
    {
        byte* record = stackalloc byte[128];
        for (int size = 1024; size <= 1024 * 1024; size *= 4)
        {
            byte[] buffer = new byte[size];
            fixed (byte* p = buffer)
            {
                byte* result = null;
                int error = call(record, p, (nuint)size, &result);
                if (error == ERANGE)
                {
                    continue;
                }

                if (error != 0 || result is null)
                {
                    return null;
                }

                byte* field = *(byte**)(record + fieldOffset);
                return field is null ? null : Marshal.PtrToStringUTF8((nint)field);
            }
        }

        return null;
    }

    private static int Fd(SafeFileHandle file) => (int)file.DangerousGetHandle();

    private static void Times(FileSystemAttributes attributes, TimeSpec* times)
    {
        times[0] = Time(attributes.AccessTime);
        times[1] = Time(attributes.ModifyTime);
    }

    private static TimeSpec Time(DateTimeOffset? time) => time is { } t
        ? new TimeSpec { Seconds = t.ToUnixTimeSeconds(), Nanoseconds = (t.UtcTicks % TimeSpan.TicksPerSecond) * 100 }
        : new TimeSpec { Seconds = 0, Nanoseconds = UTIME_OMIT };

    private static FileSystemSpace ToSpace(StatVfs s) => new()
    {
        BlockSize = s.BlockSize,
        FragmentSize = s.FragmentSize,
        Blocks = s.Blocks,
        FreeBlocks = s.FreeBlocks,
        AvailableBlocks = s.AvailableBlocks,
        Files = s.Files,
        FreeFiles = s.FreeFiles,
        AvailableFiles = s.AvailableFiles,
        FileSystemId = s.FileSystemId,
        Flags = s.Flags & 3,
        MaxNameLength = s.MaxNameLength,
    };

    // struct statx offsets: nlink 16, uid 20, gid 24, mode 28 (u16), size 40, atime 64, mtime 112 (each s64 sec + u32 nsec).
    private static FileSystemAttributes Read(byte* buffer)
    {
        var span = new ReadOnlySpan<byte>(buffer, StatxSize);
        return new FileSystemAttributes
        {
            LinkCount = BinaryPrimitives.ReadUInt32LittleEndian(span[16..]),
            UserId = BinaryPrimitives.ReadUInt32LittleEndian(span[20..]),
            GroupId = BinaryPrimitives.ReadUInt32LittleEndian(span[24..]),
            Permissions = BinaryPrimitives.ReadUInt16LittleEndian(span[28..]),
            Size = (long)BinaryPrimitives.ReadUInt64LittleEndian(span[40..]),
            AccessTime = Timestamp(span[64..]),
            ModifyTime = Timestamp(span[112..]),
        };
    }

    private static DateTimeOffset Timestamp(ReadOnlySpan<byte> field)
    {
        long seconds = BinaryPrimitives.ReadInt64LittleEndian(field);
        uint nanoseconds = BinaryPrimitives.ReadUInt32LittleEndian(field[8..]);
        return DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, -62135596800L, 253402300799L)).AddTicks(nanoseconds / 100);
    }
}
