namespace Rx.Ssh.Sftp;

/// <summary>A file's type, the <c>S_IFMT</c> bits of its mode.</summary>
public enum SftpFileType : uint
{
    /// <summary>Not reported, or a type not listed here.</summary>
    Unknown = 0,

    /// <summary>A named pipe (<c>S_IFIFO</c>).</summary>
    Fifo = 0x1000,

    /// <summary>A character device (<c>S_IFCHR</c>).</summary>
    CharacterDevice = 0x2000,

    /// <summary>A directory (<c>S_IFDIR</c>).</summary>
    Directory = 0x4000,

    /// <summary>A block device (<c>S_IFBLK</c>).</summary>
    BlockDevice = 0x6000,

    /// <summary>A regular file (<c>S_IFREG</c>).</summary>
    Regular = 0x8000,

    /// <summary>A symbolic link (<c>S_IFLNK</c>).</summary>
    SymbolicLink = 0xA000,

    /// <summary>A socket (<c>S_IFSOCK</c>).</summary>
    Socket = 0xC000,
}
