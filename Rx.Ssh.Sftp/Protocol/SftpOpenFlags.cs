namespace Rx.Ssh.Sftp;

/// <summary>The <c>pflags</c> of an SFTP open request (draft-ietf-secsh-filexfer-02 section 6.3).</summary>
[Flags]
public enum SftpOpenFlags : uint
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary><c>SSH_FXF_READ</c>: open for reading.</summary>
    Read = 0x01,

    /// <summary><c>SSH_FXF_WRITE</c>: open for writing.</summary>
    Write = 0x02,

    /// <summary><c>SSH_FXF_APPEND</c>: every write goes to the end of the file.</summary>
    Append = 0x04,

    /// <summary><c>SSH_FXF_CREAT</c>: create the file when it does not exist.</summary>
    Create = 0x08,

    /// <summary><c>SSH_FXF_TRUNC</c>: truncate an existing file (needs <see cref="Create"/>).</summary>
    Truncate = 0x10,

    /// <summary><c>SSH_FXF_EXCL</c>: fail when the file exists (needs <see cref="Create"/>).</summary>
    Exclusive = 0x20,
}
