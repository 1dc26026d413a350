using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp.Server.Sessions;

/// <content>OpenSSH's extensions (its PROTOCOL file, section 4) and the two from later drafts OpenSSH speaks.</content>
internal sealed partial class SftpServerSession
{
    private Task ExtendedAsync(SftpRequest r, OpenHandle? handle, OpenHandle? handle2) => r.Extension switch
    {
        SftpExtensionNames.PosixRename => Ok(r, _fs.RenameAsync(r.Path!, r.Path2!, replace: true, _cancellation)),
        SftpExtensionNames.Hardlink => Ok(r, _fs.CreateHardLinkAsync(r.Path!, r.Path2!, _cancellation)),
        SftpExtensionNames.LSetStat => Ok(r, _fs.SetAttributesAsync(r.Path!, SftpConvert.FromWire(r.Attributes), followLinks: false, _cancellation)),
        SftpExtensionNames.StatVfs => StatVfsAsync(r, _fs.GetSpaceAsync(r.Path!, _cancellation)),
        SftpExtensionNames.FStatVfs => WithFile(r, handle, (r, h) => StatVfsAsync(r, h.File!.GetSpaceAsync(_cancellation))),
        SftpExtensionNames.Fsync => WithFile(r, handle, (r, h) => Ok(r, h.File!.SyncAsync(_cancellation))),
        SftpExtensionNames.Limits => SendExtendedReplyAsync(r.Id, w => new SftpLimits(
            (ulong)_options.MaxPacketLength,
            (ulong)_options.MaxDataLength,
            (ulong)_options.MaxDataLength,
            (ulong)_options.MaxOpenHandles).Write(w)),
        SftpExtensionNames.ExpandPath => ExpandPathAsync(r),
        SftpExtensionNames.HomeDirectory => PathReplyAsync(r, HomeAsync(r.Path!)),
        SftpExtensionNames.UsersGroupsById => UsersGroupsAsync(r),
        SftpExtensionNames.CopyData => CopyDataAsync(r, handle, handle2),
        _ => SendStatusAsync(r.Id, SftpStatusCode.OperationUnsupported, $"Unsupported extension {r.Extension}"),
    };

    private async Task StatVfsAsync(SftpRequest r, ValueTask<FileSystemSpace> operation)
    {
        FileSystemSpace s = await operation.ConfigureAwait(false);
        var reply = new SftpStatVfs(s.BlockSize, s.FragmentSize, s.Blocks, s.FreeBlocks, s.AvailableBlocks, s.Files, s.FreeFiles, s.AvailableFiles, s.FileSystemId, s.Flags, s.MaxNameLength);
        await SendExtendedReplyAsync(r.Id, reply.Write).ConfigureAwait(false);
    }

    // "~" and "~/x" are the session user's home, "~user/x" that user's; then canonicalised as REALPATH.
    private async Task ExpandPathAsync(SftpRequest r)
    {
        string path = r.Path!;
        if (path.StartsWith('~'))
        {
            int slash = path.IndexOf('/', StringComparison.Ordinal);
            string user = slash < 0 ? path[1..] : path[1..slash];
            string rest = slash < 0 ? string.Empty : path[(slash + 1)..];
            string home = await HomeAsync(user).ConfigureAwait(false);
            path = rest.Length == 0 ? home : home.TrimEnd('/') + "/" + rest;
        }

        await PathReplyAsync(r, _fs.RealPathAsync(path, _cancellation)).ConfigureAwait(false);
    }

    // A user's home; the session's own user (empty name) may not be a local account (SSH users of
    // this server need not be), and then it is where the session starts.
    private async ValueTask<string> HomeAsync(string user)
    {
        if (user.Length > 0 && user != _userName)
        {
            return await _fs.GetHomeDirectoryAsync(user, _cancellation).ConfigureAwait(false);
        }

        try
        {
            return await _fs.GetHomeDirectoryAsync(_userName, _cancellation).ConfigureAwait(false);
        }
        catch (SftpFileSystemException ex) when (ex.Error is FileSystemError.NoSuchFile or FileSystemError.OperationUnsupported)
        {
            return await _fs.RealPathAsync(".", _cancellation).ConfigureAwait(false);
        }
    }

    private async Task UsersGroupsAsync(SftpRequest r)
    {
        var users = new List<string>(r.UserIds!.Length);
        foreach (uint uid in r.UserIds)
        {
            users.Add(await _fs.GetUserNameAsync(uid, _cancellation).ConfigureAwait(false) ?? string.Empty);
        }

        var groups = new List<string>(r.GroupIds!.Length);
        foreach (uint gid in r.GroupIds)
        {
            groups.Add(await _fs.GetGroupNameAsync(gid, _cancellation).ConfigureAwait(false) ?? string.Empty);
        }

        await SendExtendedReplyAsync(r.Id, w => SftpUsersGroups.WriteReply(w, users, groups)).ConfigureAwait(false);
    }

    private async Task CopyDataAsync(SftpRequest r, OpenHandle? source, OpenHandle? destination)
    {
        if (source is not { Closed: false, File: not null } || destination is not { Closed: false, File: not null })
        {
            await SendInvalidHandleAsync(r.Id).ConfigureAwait(false);
            return;
        }

        if (r.Offset > long.MaxValue || r.Offset2 > long.MaxValue || r.Length > long.MaxValue)
        {
            await SendStatusAsync(r.Id, SftpStatusCode.Failure, "Offset too large").ConfigureAwait(false);
            return;
        }

        bool overlaps = source == destination
            && (r.Length == 0 || (r.Offset < r.Offset2 + r.Length && r.Offset2 < r.Offset + r.Length));
        if (overlaps)
        {
            await SendStatusAsync(r.Id, SftpStatusCode.Failure, "copy-data: overlapping ranges of one file").ConfigureAwait(false);
            return;
        }

        await _fs.CopyDataAsync(source.File, (long)r.Offset, (long)r.Length, destination.File, (long)r.Offset2, _cancellation).ConfigureAwait(false);
        await SendOkAsync(r.Id).ConfigureAwait(false);
    }
}
