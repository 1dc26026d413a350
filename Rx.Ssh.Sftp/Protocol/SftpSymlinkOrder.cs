namespace Rx.Ssh.Sftp.Protocol;

/// <summary>
/// The order of SYMLINK's two paths. The draft (filexfer-02, section 6.10) sends the link's path,
/// then its target; OpenSSH's sftp and sftp-server swapped them long ago and most implementations
/// follow OpenSSH (Paramiko, and every server running OpenSSH's sftp-server, Dropbear's too).
/// AsyncSSH follows the draft unless its peer's version string names OpenSSH or Paramiko. So we use
/// the draft's order only with a peer whose version string names AsyncSSH, and OpenSSH's otherwise.
/// </summary>
internal static class SftpSymlinkOrder
{
    /// <summary>True when the peer with SSH version string <paramref name="peerVersion"/> sends (and expects) the link's path first.</summary>
    public static bool LinkFirst(string? peerVersion) =>
        peerVersion is not null && peerVersion.Contains("AsyncSSH", StringComparison.OrdinalIgnoreCase);
}
