namespace Rx.Ssh.Sftp.Server;

/// <summary>How to open a file (SFTP version 3's SSH_FXF_* bits, same values).</summary>
[Flags]
public enum FileOpenFlags : uint
{
    /// <summary>Nothing (not valid alone).</summary>
    None = 0,

    /// <summary>Open for reading.</summary>
    Read = 0x01,

    /// <summary>Open for writing.</summary>
    Write = 0x02,

    /// <summary>Every write goes to the end of the file.</summary>
    Append = 0x04,

    /// <summary>Create the file when it does not exist.</summary>
    Create = 0x08,

    /// <summary>Truncate an existing file to zero length (needs <see cref="Create"/>).</summary>
    Truncate = 0x10,

    /// <summary>Fail when the file already exists (needs <see cref="Create"/>).</summary>
    Exclusive = 0x20,
}
