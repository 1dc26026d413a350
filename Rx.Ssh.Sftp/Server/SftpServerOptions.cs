namespace Rx.Ssh.Sftp.Server;

/// <summary>
/// How an SFTP server subsystem serves each session (see <see cref="SftpSubsystem.Create"/>).
/// Immutable; vary with <c>with { ... }</c>.
/// </summary>
public sealed record SftpServerOptions
{
    /// <summary>OpenSSH's packet limit (256 KiB), the default for <see cref="MaxPacketLength"/>.</summary>
    public const int DefaultMaxPacketLength = 256 * 1024;

    /// <summary>
    /// Makes the file system of one session, from the session (its user, connection, environment).
    /// Called once per session; the server disposes what it returns when the session ends. Null:
    /// a <see cref="LocalFileSystem"/> on <see cref="Root"/> as the server process's user.
    /// </summary>
    public Func<SshServerSubsystem, SftpFileSystem>? FileSystemFactory { get; init; }

    /// <summary>The directory that is <c>/</c> for clients when <see cref="FileSystemFactory"/> is null; <c>/</c> (the default) confines nothing.</summary>
    public string Root { get; init; } = "/";

    /// <summary>The most files and directories one session may have open at once; one more OPEN or OPENDIR is refused with FAILURE. Default 1024.</summary>
    public int MaxOpenHandles { get; init; } = 1024;

    /// <summary>
    /// The longest request packet accepted (the length field's value), advertised in
    /// <c>limits@openssh.com</c>; a longer one ends the session (the stream cannot be resynchronised).
    /// READ and WRITE carry up to this less 1 KiB. Default 256 KiB, OpenSSH's.
    /// </summary>
    public int MaxPacketLength { get; init; } = DefaultMaxPacketLength;

    /// <summary>
    /// The most requests of one session processed at once (answered as each completes, in any
    /// order). Beyond it the server stops reading, so the channel window holds the client back.
    /// Memory per session is bounded by about this times <see cref="MaxPacketLength"/>. Default 64.
    /// </summary>
    public int MaxConcurrentRequests { get; init; } = 64;

    /// <summary>The most directory entries asked of the file system for one READDIR (the reply is also kept under the packet limit). Default 1024.</summary>
    public int DirectoryBatchSize { get; init; } = 1024;

    /// <summary>The most bytes one READ returns and one WRITE carries: <see cref="MaxPacketLength"/> less 1 KiB of headers.</summary>
    public int MaxDataLength => MaxPacketLength - 1024;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxOpenHandles, 1, nameof(MaxOpenHandles));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPacketLength, 34 * 1024, nameof(MaxPacketLength));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxPacketLength, 16 * 1024 * 1024, nameof(MaxPacketLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrentRequests, 1, nameof(MaxConcurrentRequests));
        ArgumentOutOfRangeException.ThrowIfLessThan(DirectoryBatchSize, 1, nameof(DirectoryBatchSize));
        ArgumentException.ThrowIfNullOrEmpty(Root, nameof(Root));
    }
}
