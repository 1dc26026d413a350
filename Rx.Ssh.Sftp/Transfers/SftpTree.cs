namespace Rx.Ssh.Sftp.Transfers;

/// <summary>
/// Recursive transfers: the tree is walked first (so progress knows the totals), directories are
/// created, symlinks recreated as symlinks (not followed), and files transferred one after another,
/// each pipelined. With preservation, a directory's times are set after its contents.
/// </summary>
internal static class SftpTree
{
    public static async Task<SftpProgress> GetAsync(SftpClient client, string remoteRoot, string localRoot, SftpTransferOptions options, Action<SftpProgress>? report, CancellationToken cancellationToken)
    {
        var directories = new List<(string Remote, string Local, SftpAttributes Attributes)>();
        var files = new List<(string Remote, string Local)>();
        var links = new List<(string Remote, string Local)>();
        long total = 0;
        SftpAttributes rootAttributes = await client.StatAsync(remoteRoot, cancellationToken).ConfigureAwait(false);
        directories.Add((remoteRoot, localRoot, rootAttributes));
        for (int i = 0; i < directories.Count; i++)
        {
            (string remoteDir, string localDir, _) = directories[i];
            await foreach (SftpName entry in client.ListDirectoryAsync(remoteDir, cancellationToken).ConfigureAwait(false))
            {
                string remote = SftpPath.Combine(remoteDir, entry.FileName);
                string local = Path.Combine(localDir, CheckedLocalName(entry.FileName));
                switch (entry.Attributes.FileType)
                {
                    case SftpFileType.Directory:
                        directories.Add((remote, local, entry.Attributes));
                        break;
                    case SftpFileType.SymbolicLink:
                        links.Add((remote, local));
                        break;
                    case SftpFileType.Regular:
                        files.Add((remote, local));
                        total += (long)Math.Min(entry.Attributes.Size ?? 0, long.MaxValue);
                        break;
                }
            }
        }

        var progress = new ProgressTracker(report, 0, files.Count);
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

        foreach ((string remote, string local) in files)
        {
            await SftpDownload.RunAsync(client, remote, local, options, progress, cancellationToken).ConfigureAwait(false);
        }

        for (int i = directories.Count - 1; i >= 0; i--)
        {
            LocalFiles.Apply(directories[i].Local, directories[i].Attributes, options);
        }

        progress.Report();
        return progress.Snapshot();
    }

    public static async Task<SftpProgress> PutAsync(SftpClient client, string localRoot, string remoteRoot, SftpTransferOptions options, Action<SftpProgress>? report, CancellationToken cancellationToken)
    {
        var directories = new List<(string Local, string Remote)> { (localRoot, remoteRoot) };
        var files = new List<(string Local, string Remote)>();
        var links = new List<(string Remote, string Target)>();
        for (int i = 0; i < directories.Count; i++)
        {
            (string localDir, string remoteDir) = directories[i];
            foreach (FileSystemInfo entry in new DirectoryInfo(localDir).EnumerateFileSystemInfos())
            {
                string remote = SftpPath.Combine(remoteDir, entry.Name);
                if (entry.LinkTarget is string target)
                {
                    links.Add((remote, target));
                }
                else if (entry is DirectoryInfo)
                {
                    directories.Add((entry.FullName, remote));
                }
                else
                {
                    files.Add((entry.FullName, remote));
                }
            }
        }

        var progress = new ProgressTracker(report, 0, files.Count);
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

        foreach ((string local, string remote) in files)
        {
            await SftpUpload.RunAsync(client, local, remote, options, progress, cancellationToken).ConfigureAwait(false);
        }

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
