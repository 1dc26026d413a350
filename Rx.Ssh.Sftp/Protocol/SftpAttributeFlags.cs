namespace Rx.Ssh.Sftp.Protocol;

/// <summary>The <c>flags</c> word of an SFTP ATTRS structure (draft-ietf-secsh-filexfer-02 section 5).</summary>
[Flags]
internal enum SftpAttributeFlags : uint
{
    /// <summary>No field present.</summary>
    None = 0,

    /// <summary><c>SSH_FILEXFER_ATTR_SIZE</c>: uint64 size.</summary>
    Size = 0x00000001,

    /// <summary><c>SSH_FILEXFER_ATTR_UIDGID</c>: uint32 uid, uint32 gid.</summary>
    UidGid = 0x00000002,

    /// <summary><c>SSH_FILEXFER_ATTR_PERMISSIONS</c>: uint32 permissions (mode bits, file type included).</summary>
    Permissions = 0x00000004,

    /// <summary><c>SSH_FILEXFER_ATTR_ACMODTIME</c>: uint32 atime, uint32 mtime (seconds since 1970).</summary>
    AccessModifyTime = 0x00000008,

    /// <summary><c>SSH_FILEXFER_ATTR_EXTENDED</c>: uint32 count, count × (string type, string data).</summary>
    Extended = 0x80000000,

    /// <summary>Every flag version 3 defines.</summary>
    Known = Size | UidGid | Permissions | AccessModifyTime | Extended,
}
