namespace Rx.Ssh.Sftp.Server;

/// <summary>
/// A file's attributes as a file system reports or sets them (what SFTP's ATTRS carries, plus the
/// link count for <c>ls -l</c> style names). Null fields are absent: in a result, unknown; in a
/// SETSTAT or OPEN, left unchanged.
/// </summary>
public sealed record FileSystemAttributes
{
    /// <summary>No attributes at all.</summary>
    public static FileSystemAttributes Empty { get; } = new();

    /// <summary>Size in bytes (SETSTAT: truncate or extend to it).</summary>
    public long? Size { get; init; }

    /// <summary>Owner's numeric user id (set together with <see cref="GroupId"/>).</summary>
    public uint? UserId { get; init; }

    /// <summary>Owner's numeric group id (set together with <see cref="UserId"/>).</summary>
    public uint? GroupId { get; init; }

    /// <summary>The POSIX mode: file type bits (S_IFMT) and permission bits (SETSTAT uses the low 12 bits).</summary>
    public uint? Permissions { get; init; }

    /// <summary>Last access time (set together with <see cref="ModifyTime"/>).</summary>
    public DateTimeOffset? AccessTime { get; init; }

    /// <summary>Last modification time (set together with <see cref="AccessTime"/>).</summary>
    public DateTimeOffset? ModifyTime { get; init; }

    /// <summary>Number of hard links (reported only, for long names).</summary>
    public uint? LinkCount { get; init; }

    /// <summary>The file type, from <see cref="Permissions"/> (<see cref="FileSystemEntryType.Unknown"/> when absent).</summary>
    public FileSystemEntryType Type => Permissions is { } mode ? (FileSystemEntryType)(mode & 0xF000) : FileSystemEntryType.Unknown;
}

/// <summary>The file type bits of a POSIX mode (S_IFMT).</summary>
public enum FileSystemEntryType
{
    /// <summary>Not known.</summary>
    Unknown = 0,

    /// <summary>A named pipe.</summary>
    Fifo = 0x1000,

    /// <summary>A character device.</summary>
    CharacterDevice = 0x2000,

    /// <summary>A directory.</summary>
    Directory = 0x4000,

    /// <summary>A block device.</summary>
    BlockDevice = 0x6000,

    /// <summary>A regular file.</summary>
    RegularFile = 0x8000,

    /// <summary>A symbolic link.</summary>
    SymbolicLink = 0xA000,

    /// <summary>A socket.</summary>
    Socket = 0xC000,
}
