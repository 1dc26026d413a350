using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp;

/// <summary>
/// A file system's statistics, the reply to <c>statvfs@openssh.com</c> and
/// <c>fstatvfs@openssh.com</c>: the fields of POSIX <c>struct statvfs</c>, each a uint64, in this order.
/// </summary>
/// <param name="BlockSize"><c>f_bsize</c>: the file system block size.</param>
/// <param name="FragmentSize"><c>f_frsize</c>: the fundamental block size (the unit of the block counts).</param>
/// <param name="Blocks"><c>f_blocks</c>: the size in <paramref name="FragmentSize"/> units.</param>
/// <param name="FreeBlocks"><c>f_bfree</c>: free blocks.</param>
/// <param name="AvailableBlocks"><c>f_bavail</c>: free blocks for unprivileged users.</param>
/// <param name="Files"><c>f_files</c>: inodes.</param>
/// <param name="FreeFiles"><c>f_ffree</c>: free inodes.</param>
/// <param name="AvailableFiles"><c>f_favail</c>: free inodes for unprivileged users.</param>
/// <param name="FileSystemId"><c>f_fsid</c>: the file system id.</param>
/// <param name="Flags"><c>f_flag</c>: bit 0 read-only (<c>SSH_FXE_STATVFS_ST_RDONLY</c>), bit 1 no set-uid (<c>ST_NOSUID</c>).</param>
/// <param name="MaxNameLength"><c>f_namemax</c>: the longest file name.</param>
public sealed record SftpStatVfs(
    ulong BlockSize,
    ulong FragmentSize,
    ulong Blocks,
    ulong FreeBlocks,
    ulong AvailableBlocks,
    ulong Files,
    ulong FreeFiles,
    ulong AvailableFiles,
    ulong FileSystemId,
    ulong Flags,
    ulong MaxNameLength)
{
    /// <summary>The read-only bit of <see cref="Flags"/>.</summary>
    public const ulong ReadOnlyFlag = 1;

    /// <summary>The no-set-uid bit of <see cref="Flags"/>.</summary>
    public const ulong NoSetUidFlag = 2;

    /// <summary>The total size in bytes (<see cref="Blocks"/> × <see cref="FragmentSize"/>).</summary>
    public ulong TotalBytes => Blocks * FragmentSize;

    /// <summary>The bytes free for unprivileged users (<see cref="AvailableBlocks"/> × <see cref="FragmentSize"/>).</summary>
    public ulong AvailableBytes => AvailableBlocks * FragmentSize;

    internal void Write(SftpPacketWriter writer)
    {
        writer.WriteUInt64(BlockSize);
        writer.WriteUInt64(FragmentSize);
        writer.WriteUInt64(Blocks);
        writer.WriteUInt64(FreeBlocks);
        writer.WriteUInt64(AvailableBlocks);
        writer.WriteUInt64(Files);
        writer.WriteUInt64(FreeFiles);
        writer.WriteUInt64(AvailableFiles);
        writer.WriteUInt64(FileSystemId);
        writer.WriteUInt64(Flags);
        writer.WriteUInt64(MaxNameLength);
    }

    internal static SftpStatVfs Read(ref SftpPacketReader reader) => new(
        reader.ReadUInt64(),
        reader.ReadUInt64(),
        reader.ReadUInt64(),
        reader.ReadUInt64(),
        reader.ReadUInt64(),
        reader.ReadUInt64(),
        reader.ReadUInt64(),
        reader.ReadUInt64(),
        reader.ReadUInt64(),
        reader.ReadUInt64(),
        reader.ReadUInt64());
}
