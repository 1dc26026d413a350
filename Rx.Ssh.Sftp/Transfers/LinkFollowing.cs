namespace Rx.Ssh.Sftp.Transfers;

/// <summary>
/// Following symbolic links in recursive transfers (<see cref="SftpTransferOptions.FollowSymlinks"/>):
/// what a link leads to, or null when it is to be recreated as a link instead (dangling, or a loop).
/// </summary>
internal static class LinkFollowing
{
    /// <summary>Symbolic links resolved in a row before a local path counts as unresolvable (Linux's <c>MAXSYMLINKS</c>).</summary>
    private const int MaxLinks = 40;

    /// <summary>The places of a remote walk.</summary>
    public static WalkPlaces RemotePlaces() => new('/', SftpPath.GetDirectoryName, SftpPath.GetFileName);

    /// <summary>The places of a local walk.</summary>
    public static WalkPlaces LocalPlaces() => new(Path.DirectorySeparatorChar, p => Path.GetDirectoryName(p) ?? string.Empty, Path.GetFileName);

    /// <summary>Registers a remote root directory (its real path asked of the server).</summary>
    public static async Task AddRemoteRootAsync(SftpClient client, WalkPlaces places, string path, CancellationToken cancellationToken) =>
        places.AddRoot(path, await client.RealPathAsync(path, cancellationToken).ConfigureAwait(false));

    /// <summary>The followed attributes of the remote link <paramref name="link"/> in <paramref name="directory"/>; null when it dangles or loops.</summary>
    public static async Task<SftpAttributes?> FollowRemoteAsync(SftpClient client, WalkPlaces places, string directory, string link, CancellationToken cancellationToken)
    {
        SftpAttributes attributes;
        try
        {
            attributes = await client.StatAsync(link, cancellationToken).ConfigureAwait(false);
        }
        catch (SftpException e) when (e.Code == SftpStatusCode.NoSuchFile)
        {
            return null;
        }

        if (!attributes.IsDirectory)
        {
            return attributes;
        }

        string target = await client.RealPathAsync(link, cancellationToken).ConfigureAwait(false);
        return places.TryEnter(directory, link, target) ? attributes : null;
    }

    /// <summary>Registers a local root directory.</summary>
    public static void AddLocalRoot(WalkPlaces places, string path) => places.AddRoot(path, LocalRealPath(path) ?? Path.GetFullPath(path));

    /// <summary>
    /// What the local link <paramref name="link"/> in <paramref name="directory"/> leads to: a
    /// <see cref="FileInfo"/> or <see cref="DirectoryInfo"/> of the target's real path; null when it
    /// dangles, cannot be resolved, or loops.
    /// </summary>
    public static FileSystemInfo? FollowLocal(WalkPlaces places, string directory, FileSystemInfo link)
    {
        string? real = LocalRealPath(link.FullName);
        if (real is null)
        {
            return null;
        }

        if (Directory.Exists(real))
        {
            return places.TryEnter(directory, link.FullName, real) ? new DirectoryInfo(real) : null;
        }

        return File.Exists(real) ? new FileInfo(real) : null;
    }

    /// <summary>
    /// <paramref name="path"/> with every symbolic link resolved, component by component (a link's
    /// <c>..</c> applies to where the link leads, as the kernel does); null after too many links.
    /// A missing component is kept as it is (the result then does not exist).
    /// </summary>
    public static string? LocalRealPath(string path)
    {
        string full = Path.GetFullPath(path);
        string current = Path.GetPathRoot(full) ?? string.Empty;
        var pending = new Stack<string>();
        Push(pending, full[current.Length..]);
        int links = 0;
        while (pending.TryPop(out string? component))
        {
            if (component is "" or ".")
            {
                continue;
            }

            if (component == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            string next = Path.Combine(current, component);
            string? target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                return null;
            }

            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target) ?? current;
                target = target[current.Length..];
            }

            Push(pending, target);
        }

        return current;
    }

    private static void Push(Stack<string> pending, string relative)
    {
        string[] components = relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        for (int i = components.Length - 1; i >= 0; i--)
        {
            pending.Push(components[i]);
        }
    }
}
