using Rx.Ssh.Sftp.Client;
using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp;

// Operations on paths: attributes, directories, removal, renames, links, canonical paths.
public sealed partial class SftpClient
{
    /// <summary>STAT: the attributes of <paramref name="path"/>, following symlinks.</summary>
    /// <param name="path">The remote path.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The attributes.</returns>
    /// <exception cref="SftpException">The server's failure (e.g. <see cref="SftpStatusCode.NoSuchFile"/>).</exception>
    public Task<SftpAttributes> StatAsync(string path, CancellationToken cancellationToken = default)
    {
        (SftpPacketWriter w, uint id) = StartPath(SftpPacketType.Stat, path);
        return AttrsAsync(w, id, cancellationToken);
    }

    /// <summary>LSTAT: the attributes of <paramref name="path"/> itself (a symlink's own).</summary>
    /// <param name="path">The remote path.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The attributes.</returns>
    /// <exception cref="SftpException">The server's failure.</exception>
    public Task<SftpAttributes> LStatAsync(string path, CancellationToken cancellationToken = default)
    {
        (SftpPacketWriter w, uint id) = StartPath(SftpPacketType.Lstat, path);
        return AttrsAsync(w, id, cancellationToken);
    }

    /// <summary>SETSTAT: changes the attributes set in <paramref name="attributes"/> (size truncates or extends).</summary>
    /// <param name="path">The remote path.</param>
    /// <param name="attributes">The attributes to change; null fields are left alone.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when the server confirmed.</returns>
    /// <exception cref="SftpException">The server's failure.</exception>
    public Task SetStatAsync(string path, SftpAttributes attributes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        (SftpPacketWriter w, uint id) = StartPath(SftpPacketType.Setstat, path);
        attributes.Write(w);
        return StatusAsync(w, id, cancellationToken);
    }

    /// <summary><c>lsetstat@openssh.com</c>: like <see cref="SetStatAsync"/> without following a final symlink.</summary>
    /// <param name="path">The remote path.</param>
    /// <param name="attributes">The attributes to change.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when the server confirmed.</returns>
    /// <exception cref="SftpException">The server's failure, or <see cref="SftpStatusCode.OperationUnsupported"/> without the extension.</exception>
    public Task LSetStatAsync(string path, SftpAttributes attributes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(attributes);
        (SftpPacketWriter w, uint id) = StartExtended(SftpExtensionNames.LSetStat);
        w.WritePath(path);
        attributes.Write(w);
        return StatusAsync(w, id, cancellationToken);
    }

    /// <summary>MKDIR: creates the directory <paramref name="path"/>.</summary>
    /// <param name="path">The remote path.</param>
    /// <param name="attributes">Its attributes (e.g. permissions); none when null.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when the server confirmed.</returns>
    /// <exception cref="SftpException">The server's failure (OpenSSH answers <see cref="SftpStatusCode.Failure"/> when it exists).</exception>
    public Task MkdirAsync(string path, SftpAttributes? attributes = null, CancellationToken cancellationToken = default)
    {
        (SftpPacketWriter w, uint id) = StartPath(SftpPacketType.Mkdir, path);
        (attributes ?? SftpAttributes.Empty).Write(w);
        return StatusAsync(w, id, cancellationToken);
    }

    /// <summary>RMDIR: removes the empty directory <paramref name="path"/>.</summary>
    /// <param name="path">The remote path.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when the server confirmed.</returns>
    /// <exception cref="SftpException">The server's failure.</exception>
    public Task RmdirAsync(string path, CancellationToken cancellationToken = default)
    {
        (SftpPacketWriter w, uint id) = StartPath(SftpPacketType.Rmdir, path);
        return StatusAsync(w, id, cancellationToken);
    }

    /// <summary>REMOVE: removes the file (or symlink) <paramref name="path"/>.</summary>
    /// <param name="path">The remote path.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when the server confirmed.</returns>
    /// <exception cref="SftpException">The server's failure.</exception>
    public Task RemoveAsync(string path, CancellationToken cancellationToken = default)
    {
        (SftpPacketWriter w, uint id) = StartPath(SftpPacketType.Remove, path);
        return StatusAsync(w, id, cancellationToken);
    }

    /// <summary>RENAME: renames <paramref name="oldPath"/> to <paramref name="newPath"/>, failing when the new path exists.</summary>
    /// <param name="oldPath">The existing path.</param>
    /// <param name="newPath">The new path.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when the server confirmed.</returns>
    /// <exception cref="SftpException">The server's failure.</exception>
    public Task RenameAsync(string oldPath, string newPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newPath);
        (SftpPacketWriter w, uint id) = StartPath(SftpPacketType.Rename, oldPath);
        w.WritePath(newPath);
        return StatusAsync(w, id, cancellationToken);
    }

    /// <summary><c>posix-rename@openssh.com</c>: renames, replacing <paramref name="newPath"/> when it exists (atomically on POSIX).</summary>
    /// <param name="oldPath">The existing path.</param>
    /// <param name="newPath">The new path.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when the server confirmed.</returns>
    /// <exception cref="SftpException">The server's failure, or <see cref="SftpStatusCode.OperationUnsupported"/> without the extension.</exception>
    public Task PosixRenameAsync(string oldPath, string newPath, CancellationToken cancellationToken = default) =>
        TwoPathExtensionAsync(SftpExtensionNames.PosixRename, oldPath, newPath, cancellationToken);

    /// <summary><c>hardlink@openssh.com</c>: creates the hard link <paramref name="newPath"/> to <paramref name="existingPath"/>.</summary>
    /// <param name="existingPath">The existing file.</param>
    /// <param name="newPath">The new link.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when the server confirmed.</returns>
    /// <exception cref="SftpException">The server's failure, or <see cref="SftpStatusCode.OperationUnsupported"/> without the extension.</exception>
    public Task HardlinkAsync(string existingPath, string newPath, CancellationToken cancellationToken = default) =>
        TwoPathExtensionAsync(SftpExtensionNames.Hardlink, existingPath, newPath, cancellationToken);

    /// <summary>SYMLINK: creates the symlink <paramref name="linkPath"/> pointing at <paramref name="targetPath"/>.</summary>
    /// <param name="linkPath">The link to create.</param>
    /// <param name="targetPath">What it points at (stored as given, relative or absolute).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>Completes when the server confirmed.</returns>
    /// <remarks>
    /// Sent in OpenSSH's order (target, then link), which OpenSSH's sftp-server (also behind
    /// Dropbear) and Paramiko read; to an AsyncSSH server (by its version string), which follows the
    /// draft, the link's path goes first.
    /// </remarks>
    /// <exception cref="SftpException">The server's failure.</exception>
    public Task SymlinkAsync(string linkPath, string targetPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(linkPath);
        ArgumentNullException.ThrowIfNull(targetPath);
        bool linkFirst = SftpSymlinkOrder.LinkFirst(_connection?.RemoteVersion);
        (SftpPacketWriter w, uint id) = StartPath(SftpPacketType.Symlink, linkFirst ? linkPath : targetPath);
        w.WritePath(linkFirst ? targetPath : linkPath);
        return StatusAsync(w, id, cancellationToken);
    }

    /// <summary>READLINK: the target of the symlink <paramref name="path"/>.</summary>
    /// <param name="path">The symlink.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The target as stored.</returns>
    /// <exception cref="SftpException">The server's failure.</exception>
    public async Task<string> ReadLinkAsync(string path, CancellationToken cancellationToken = default)
    {
        (SftpPacketWriter w, uint id) = StartPath(SftpPacketType.Readlink, path);
        return (await NameAsync(w, id, cancellationToken).ConfigureAwait(false)).FileName;
    }

    /// <summary>REALPATH: the canonical absolute form of <paramref name="path"/> (<c>"."</c> gives the session's starting directory).</summary>
    /// <param name="path">The remote path.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The canonical path.</returns>
    /// <exception cref="SftpException">The server's failure.</exception>
    public async Task<string> RealPathAsync(string path, CancellationToken cancellationToken = default)
    {
        (SftpPacketWriter w, uint id) = StartPath(SftpPacketType.Realpath, path);
        return (await NameAsync(w, id, cancellationToken).ConfigureAwait(false)).FileName;
    }

    /// <summary><c>expand-path@openssh.com</c>: <paramref name="path"/> with a leading <c>~</c> or <c>~user</c> expanded, canonicalised.</summary>
    /// <param name="path">The remote path.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The expanded path.</returns>
    /// <exception cref="SftpException">The server's failure, or <see cref="SftpStatusCode.OperationUnsupported"/> without the extension.</exception>
    public async Task<string> ExpandPathAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        (SftpPacketWriter w, uint id) = StartExtended(SftpExtensionNames.ExpandPath);
        w.WritePath(path);
        return (await NameAsync(w, id, cancellationToken).ConfigureAwait(false)).FileName;
    }

    /// <summary><c>home-directory</c>: the home directory of <paramref name="userName"/> (the session's user when empty).</summary>
    /// <param name="userName">The user; empty for our own.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The home directory.</returns>
    /// <exception cref="SftpException">The server's failure, or <see cref="SftpStatusCode.OperationUnsupported"/> without the extension.</exception>
    public async Task<string> HomeDirectoryAsync(string userName = "", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userName);
        (SftpPacketWriter w, uint id) = StartExtended(SftpExtensionNames.HomeDirectory);
        w.WriteString(userName);
        return (await NameAsync(w, id, cancellationToken).ConfigureAwait(false)).FileName;
    }

    /// <summary><c>statvfs@openssh.com</c>: statistics of the file system holding <paramref name="path"/>.</summary>
    /// <param name="path">A remote path.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="SftpException">The server's failure, or <see cref="SftpStatusCode.OperationUnsupported"/> without the extension.</exception>
    public async Task<SftpStatVfs> StatVfsAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        (SftpPacketWriter w, uint id) = StartExtended(SftpExtensionNames.StatVfs);
        w.WritePath(path);
        using SftpReply reply = await ExtendedReplyAsync(w, id, cancellationToken).ConfigureAwait(false);
        return DecodeStatVfs(reply);
    }

    /// <summary><c>limits@openssh.com</c>: what the server accepts (asked again; <see cref="Limits"/> holds the answer from the start).</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The limits.</returns>
    /// <exception cref="SftpException"><see cref="SftpStatusCode.OperationUnsupported"/> without the extension.</exception>
    public async Task<SftpLimits> GetLimitsAsync(CancellationToken cancellationToken = default)
    {
        (SftpPacketWriter w, uint id) = StartExtended(SftpExtensionNames.Limits);
        using SftpReply reply = await ExtendedReplyAsync(w, id, cancellationToken).ConfigureAwait(false);
        SftpPacketReader reader = reply.Reader();
        SftpLimits limits = SftpLimits.Read(ref reader);
        reader.ReadEnd();
        return limits;
    }

    /// <summary><c>users-groups-by-id@openssh.com</c>: the names of numeric users and groups (empty for unknown ids).</summary>
    /// <param name="uids">User ids.</param>
    /// <param name="gids">Group ids.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>One user name per uid and one group name per gid, in order.</returns>
    /// <exception cref="SftpException">The server's failure, or <see cref="SftpStatusCode.OperationUnsupported"/> without the extension.</exception>
    public async Task<(IReadOnlyList<string> UserNames, IReadOnlyList<string> GroupNames)> GetUsersGroupsByIdAsync(
        IReadOnlyList<uint> uids, IReadOnlyList<uint> gids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uids);
        ArgumentNullException.ThrowIfNull(gids);
        (SftpPacketWriter w, uint id) = StartExtended(SftpExtensionNames.UsersGroupsById, 64 + (4 * (uids.Count + gids.Count)));
        SftpUsersGroups.WriteRequest(w, uids, gids);
        using SftpReply reply = await ExtendedReplyAsync(w, id, cancellationToken).ConfigureAwait(false);
        SftpPacketReader reader = reply.Reader();
        (List<string> users, List<string> groups) = SftpUsersGroups.ReadReply(ref reader);
        if (users.Count != uids.Count || groups.Count != gids.Count)
        {
            throw new SftpProtocolException("SFTP server answered users-groups-by-id with a different number of names than ids");
        }

        return (users, groups);
    }

    internal static SftpStatVfs DecodeStatVfs(SftpReply reply)
    {
        SftpPacketReader reader = reply.Reader();
        SftpStatVfs vfs = SftpStatVfs.Read(ref reader);
        reader.ReadEnd();
        return vfs;
    }

    private Task TwoPathExtensionAsync(string extension, string first, string second, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        (SftpPacketWriter w, uint id) = StartExtended(extension);
        w.WritePath(first);
        w.WritePath(second);
        return StatusAsync(w, id, cancellationToken);
    }
}
