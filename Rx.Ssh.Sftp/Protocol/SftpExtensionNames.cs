namespace Rx.Ssh.Sftp;

/// <summary>
/// The SFTP extensions OpenSSH speaks (its PROTOCOL file, section 4), named as they appear in the
/// VERSION packet and in <c>SSH_FXP_EXTENDED</c> requests. Each request is <c>uint32 id, string
/// name</c> followed by the layout given here; "status" means the reply is an <c>SSH_FXP_STATUS</c>.
/// </summary>
public static class SftpExtensionNames
{
    /// <summary><c>string oldpath, string newpath</c> → status. A rename that replaces the target (POSIX <c>rename(2)</c>).</summary>
    public const string PosixRename = "posix-rename@openssh.com";

    /// <summary><c>string path</c> → EXTENDED_REPLY with an <see cref="SftpStatVfs"/> (11 × uint64).</summary>
    public const string StatVfs = "statvfs@openssh.com";

    /// <summary><c>string handle</c> → EXTENDED_REPLY with an <see cref="SftpStatVfs"/>.</summary>
    public const string FStatVfs = "fstatvfs@openssh.com";

    /// <summary><c>string oldpath, string newpath</c> → status. Creates the hard link newpath to oldpath.</summary>
    public const string Hardlink = "hardlink@openssh.com";

    /// <summary><c>string handle</c> → status. Flushes an open file to stable storage.</summary>
    public const string Fsync = "fsync@openssh.com";

    /// <summary><c>string path, ATTRS attrs</c> → status. Like SETSTAT without following a final symlink.</summary>
    public const string LSetStat = "lsetstat@openssh.com";

    /// <summary>(nothing) → EXTENDED_REPLY with an <see cref="SftpLimits"/> (4 × uint64).</summary>
    public const string Limits = "limits@openssh.com";

    /// <summary><c>string path</c> → NAME with one entry: the path with a leading <c>~</c> or <c>~user</c> expanded, canonicalised.</summary>
    public const string ExpandPath = "expand-path@openssh.com";

    /// <summary>
    /// <c>string read-handle, uint64 read-offset, uint64 read-length, string write-handle, uint64
    /// write-offset</c> → status. Copies on the server; a read-length of 0 copies to end of file.
    /// </summary>
    public const string CopyData = "copy-data";

    /// <summary><c>string username</c> → NAME with one entry: that user's home directory (ours when empty).</summary>
    public const string HomeDirectory = "home-directory";

    /// <summary>
    /// <c>string uids, string gids</c> (each packed uint32 ids) → EXTENDED_REPLY <c>string
    /// usernames, string groupnames</c> (each packed strings, one per id, empty when unknown).
    /// </summary>
    public const string UsersGroupsById = "users-groups-by-id@openssh.com";

    /// <summary>The version strings OpenSSH's sftp-server advertises for each extension.</summary>
    public static IReadOnlyDictionary<string, string> OpenSshVersions { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [PosixRename] = "1",
        [StatVfs] = "2",
        [FStatVfs] = "2",
        [Hardlink] = "1",
        [Fsync] = "1",
        [LSetStat] = "1",
        [Limits] = "1",
        [ExpandPath] = "1",
        [CopyData] = "1",
        [HomeDirectory] = "1",
        [UsersGroupsById] = "1",
    };
}
