namespace Rx.Ssh.Sftp.Transfers;

/// <summary>
/// Recursive transfers: the tree is walked first (so progress knows the totals), directories are
/// created, symlinks recreated as symlinks (or, with <see cref="SftpTransferOptions.FollowSymlinks"/>,
/// followed: see <see cref="LinkFollowing"/>), and files transferred
/// <see cref="SftpTransferOptions.MaxConcurrentFiles"/> at a time, each pipelined with its share of
/// the requests in flight. With preservation, a directory's times are set after its contents.
/// </summary>
internal static class SftpTree
{
    /// <summary>Downloads <paramref name="roots"/>: each a directory (walked) or a file, with its local destination and (followed) attributes.</summary>
    public static async Task<SftpProgress> GetAsync(SftpClient client, IEnumerable<(string Remote, string Local, SftpAttributes Attributes)> roots, SftpTransferOptions options, Action<SftpProgress>? report, CancellationToken cancellationToken)
    {
        var directories = new List<(string Remote, string Local, SftpAttributes Attributes)>();
        var files = new List<(string Remote, string Local, long Size)>();
        var links = new List<(string Remote, string Local)>();
        long total = 0;
        WalkPlaces? places = options.FollowSymlinks ? LinkFollowing.RemotePlaces() : null;
        foreach ((string remote, string local, SftpAttributes attributes) in roots)
        {
            if (attributes.IsDirectory)
            {
                directories.Add((remote, local, attributes));
                if (places is not null)
                {
                    await LinkFollowing.AddRemoteRootAsync(client, places, remote, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                long size = (long)Math.Min(attributes.Size ?? 0, long.MaxValue);
                files.Add((remote, local, size));
                total += size;
            }
        }

        for (int i = 0; i < directories.Count; i++)
        {
            (string remoteDir, string localDir, _) = directories[i];
            await foreach (SftpName entry in client.ListDirectoryAsync(remoteDir, cancellationToken).ConfigureAwait(false))
            {
                string remote = SftpPath.Combine(remoteDir, entry.FileName);
                string local = Path.Combine(localDir, CheckedLocalName(entry.FileName));
                SftpAttributes attributes = entry.Attributes;
                if (places is not null && attributes.FileType == SftpFileType.SymbolicLink)
                {
                    attributes = await LinkFollowing.FollowRemoteAsync(client, places, remoteDir, remote, cancellationToken).ConfigureAwait(false) ?? attributes;
                }

                switch (attributes.FileType)
                {
                    case SftpFileType.Directory:
                        directories.Add((remote, local, attributes));
                        break;
                    case SftpFileType.SymbolicLink:
                        links.Add((remote, local));
                        break;
                    case SftpFileType.Regular:
                        long size = (long)Math.Min(attributes.Size ?? 0, long.MaxValue);
                        files.Add((remote, local, size));
                        total += size;
                        break;
                }
            }
        }

        var progress = new ProgressTracker(report, total, files.Count);
        foreach ((_, string local, _) in directories)
        {
            Directory.CreateDirectory(local);
        }

        foreach ((string remote, string local) in links)
        {
            string target = await client.ReadLinkAsync(remote, cancellationToken).ConfigureAwait(false);
            if (File.Exists(local) || Directory.Exists(local) || new FileInfo(local).LinkTarget is not null)
            {
                File.Delete(local);
            }

            File.CreateSymbolicLink(local, target);
        }

        int share = ConcurrentFiles(client, options, files.Count);
        await Parallel.ForEachAsync(
            files,
            new ParallelOptions { MaxDegreeOfParallelism = share, CancellationToken = cancellationToken },
            (file, token) => new ValueTask(SftpDownload.RunAsync(client, file.Remote, file.Local, options, progress, token, file.Size, share))).ConfigureAwait(false);

        for (int i = directories.Count - 1; i >= 0; i--)
        {
            LocalFiles.Apply(directories[i].Local, directories[i].Attributes, options);
        }

        progress.Report();
        return progress.Snapshot();
    }

    /// <summary>Uploads <paramref name="roots"/>: each a local directory (walked) or file, with its remote destination.</summary>
    public static async Task<SftpProgress> PutAsync(SftpClient client, IEnumerable<(string Local, string Remote)> roots, SftpTransferOptions options, Action<SftpProgress>? report, CancellationToken cancellationToken)
    {
        var directories = new List<(string Local, string Remote)>();
        var files = new List<(string Local, string Remote, long Size)>();
        var links = new List<(string Remote, string Target)>();
        long total = 0;
        WalkPlaces? places = options.FollowSymlinks ? LinkFollowing.LocalPlaces() : null;
        foreach ((string local, string remote) in roots)
        {
            if (Directory.Exists(local))
            {
                directories.Add((local, remote));
                if (places is not null)
                {
                    LinkFollowing.AddLocalRoot(places, local);
                }
            }
            else
            {
                long size = new FileInfo(local).Length;
                files.Add((local, remote, size));
                total += size;
            }
        }

        for (int i = 0; i < directories.Count; i++)
        {
            (string localDir, string remoteDir) = directories[i];
            foreach (FileSystemInfo listed in new DirectoryInfo(localDir).EnumerateFileSystemInfos())
            {
                string remote = SftpPath.Combine(remoteDir, listed.Name);
                FileSystemInfo entry = listed;
                if (places is not null && listed.LinkTarget is not null)
                {
                    entry = LinkFollowing.FollowLocal(places, localDir, listed) ?? listed;
                }

                if (entry.LinkTarget is string target)
                {
                    links.Add((remote, target));
                }
                else if (entry is DirectoryInfo)
                {
                    // A followed link is walked through its own path: that is where the walk's places know it.
                    directories.Add((listed.FullName, remote));
                }
                else
                {
                    long size = ((FileInfo)entry).Length;
                    files.Add((entry.FullName, remote, size));
                    total += size;
                }
            }
        }

        var progress = new ProgressTracker(report, total, files.Count);
        foreach ((string local, string remote) in directories)
        {
            await client.MakeDirectoriesAsync(remote, null, cancellationToken).ConfigureAwait(false);
        }

        foreach ((string remote, string target) in links)
        {
            SftpAttributes? existing = await LTryStatAsync(client, remote, cancellationToken).ConfigureAwait(false);
            if (existing is not null)
            {
                await client.RemoveAsync(remote, cancellationToken).ConfigureAwait(false);
            }

            await client.SymlinkAsync(remote, target, cancellationToken).ConfigureAwait(false);
        }

        int share = ConcurrentFiles(client, options, files.Count);
        await Parallel.ForEachAsync(
            files,
            new ParallelOptions { MaxDegreeOfParallelism = share, CancellationToken = cancellationToken },
            (file, token) => new ValueTask(SftpUpload.RunAsync(client, file.Local, file.Remote, options, progress, token, file.Size, share))).ConfigureAwait(false);

        for (int i = directories.Count - 1; i >= 0; i--)
        {
            SftpAttributes preserved = LocalFiles.Describe(directories[i].Local, options);
            if (preserved.Flags != Protocol.SftpAttributeFlags.None)
            {
                await client.SetStatAsync(directories[i].Remote, preserved, cancellationToken).ConfigureAwait(false);
            }
        }

        progress.Report();
        return progress.Snapshot();
    }

    /// <summary>Files at once: <see cref="SftpTransferOptions.MaxConcurrentFiles"/>, at most the files there are and half the server's handle limit (when it states one).</summary>
    private static int ConcurrentFiles(SftpClient client, SftpTransferOptions options, int files)
    {
        int share = Math.Min(options.MaxConcurrentFiles, Math.Max(1, files));
        if (client.Limits?.MaxOpenHandles is ulong handles and > 0)
        {
            share = (int)Math.Min((ulong)share, Math.Max(1, handles / 2));
        }

        return share;
    }

    private static async Task<SftpAttributes?> LTryStatAsync(SftpClient client, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await client.LStatAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (SftpException e) when (e.Code == SftpStatusCode.NoSuchFile)
        {
            return null;
        }
    }

    /// <summary>A remote entry name used locally: one component, nothing that climbs out of the destination.</summary>
    private static string CheckedLocalName(string name)
    {
        if (name.Length == 0 || name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new SftpProtocolException($"SFTP server listed an entry named '{name}', which is not a single path component");
        }

        return name;
    }
}
