namespace Rx.Ssh.Sftp.Server;

/// <summary>File-system statistics, as POSIX <c>statvfs</c> reports them (OpenSSH's <c>statvfs@openssh.com</c>).</summary>
public sealed record FileSystemSpace
{
    /// <summary>File-system block size.</summary>
    public ulong BlockSize { get; init; }

    /// <summary>Fundamental block size (the unit of the block counts).</summary>
    public ulong FragmentSize { get; init; }

    /// <summary>Size in fragments.</summary>
    public ulong Blocks { get; init; }

    /// <summary>Free fragments.</summary>
    public ulong FreeBlocks { get; init; }

    /// <summary>Free fragments for unprivileged users.</summary>
    public ulong AvailableBlocks { get; init; }

    /// <summary>Inodes.</summary>
    public ulong Files { get; init; }

    /// <summary>Free inodes.</summary>
    public ulong FreeFiles { get; init; }

    /// <summary>Free inodes for unprivileged users.</summary>
    public ulong AvailableFiles { get; init; }

    /// <summary>File-system id.</summary>
    public ulong FileSystemId { get; init; }

    /// <summary>Mount flags: 1 read-only, 2 no set-uid (OpenSSH's ST_RDONLY, ST_NOSUID).</summary>
    public ulong Flags { get; init; }

    /// <summary>Maximum file name length.</summary>
    public ulong MaxNameLength { get; init; }
}
