namespace Rx.Ssh.Sftp.Protocol;

/// <summary>
/// The SFTP packet types of protocol version 3 (draft-ietf-secsh-filexfer-02 section 3), the byte
/// after each packet's length. Requests are 1 to 20 and 200; replies 101 to 105 and 201.
/// </summary>
internal enum SftpPacketType : byte
{
    /// <summary>Client hello: uint32 version, extension pairs.</summary>
    Init = 1,

    /// <summary>Server hello: uint32 version, extension pairs.</summary>
    Version = 2,

    /// <summary>Open a file: path, pflags, attrs.</summary>
    Open = 3,

    /// <summary>Close a handle.</summary>
    Close = 4,

    /// <summary>Read from a file handle: handle, uint64 offset, uint32 length.</summary>
    Read = 5,

    /// <summary>Write to a file handle: handle, uint64 offset, string data.</summary>
    Write = 6,

    /// <summary>Attributes of a path, not following a final symlink.</summary>
    Lstat = 7,

    /// <summary>Attributes of an open handle.</summary>
    Fstat = 8,

    /// <summary>Set attributes of a path.</summary>
    Setstat = 9,

    /// <summary>Set attributes of an open handle.</summary>
    Fsetstat = 10,

    /// <summary>Open a directory for reading.</summary>
    Opendir = 11,

    /// <summary>Read the next entries of a directory handle.</summary>
    Readdir = 12,

    /// <summary>Remove a file.</summary>
    Remove = 13,

    /// <summary>Create a directory: path, attrs.</summary>
    Mkdir = 14,

    /// <summary>Remove an empty directory.</summary>
    Rmdir = 15,

    /// <summary>Canonicalise a path.</summary>
    Realpath = 16,

    /// <summary>Attributes of a path, following symlinks.</summary>
    Stat = 17,

    /// <summary>Rename: old path, new path (fails when the new path exists).</summary>
    Rename = 18,

    /// <summary>Read a symlink's target.</summary>
    Readlink = 19,

    /// <summary>
    /// Create a symlink. OpenSSH sends and expects the target first, then the link path (the
    /// reverse of the draft's order); both roles here follow OpenSSH.
    /// </summary>
    Symlink = 20,

    /// <summary>Reply: uint32 code, string message, string language.</summary>
    Status = 101,

    /// <summary>Reply: string handle.</summary>
    Handle = 102,

    /// <summary>Reply: string data.</summary>
    Data = 103,

    /// <summary>Reply: uint32 count, count × (filename, longname, attrs).</summary>
    Name = 104,

    /// <summary>Reply: attrs.</summary>
    Attrs = 105,

    /// <summary>Extension request: string request name, request-specific data.</summary>
    Extended = 200,

    /// <summary>Extension reply: request-specific data.</summary>
    ExtendedReply = 201,
}
