namespace Rx.Ssh.Sftp.Server.FileSystem;

/// <summary>
/// Maps SFTP paths to host paths under a root directory that nothing escapes: the path is walked
/// one component at a time from the root (absolute paths) or the start directory (relative
/// ones); <c>..</c> never climbs above the root; each component is looked at with lstat, and a
/// symbolic link met on the way is replaced by its target (an absolute target starts again at the
/// root, a relative one continues from the link's directory), at most 40 links per path
/// (ELOOP, as Linux). The result is a host path whose every directory is a real directory inside
/// the root, with no symbolic link left except, when asked, the final component itself. The walk
/// is made before each operation; <see cref="LocalFileSystem"/> keeps other confined sessions'
/// changes out of the time between the walk and the call (<see cref="LocalFileSystem.ConfinementLock"/>),
/// but a swap of a directory for a symbolic link by another process on the host in that time is
/// not covered (see ARCHITECTURE.md).
/// </summary>
internal sealed class ConfinedPathResolver
{
    private const int MaxLinks = 40;

    /// <summary>Creates the resolver.</summary>
    /// <param name="hostRoot">The root, an absolute host path with no symbolic links (<c>/</c> for none).</param>
    /// <param name="startDirectory">Where relative paths start, as an SFTP path (absolute, within the root).</param>
    public ConfinedPathResolver(string hostRoot, string startDirectory)
    {
        HostRoot = hostRoot.Length > 1 ? hostRoot.TrimEnd('/') : hostRoot;
        StartDirectory = startDirectory;
    }

    /// <summary>The root as a host path.</summary>
    public string HostRoot { get; }

    /// <summary>Where relative paths start (an SFTP path).</summary>
    public string StartDirectory { get; }

    /// <summary>Resolves <paramref name="path"/>.</summary>
    /// <param name="path">An SFTP path.</param>
    /// <param name="followFinalLink">Whether a symbolic link as the final component is followed too.</param>
    /// <returns>The resolved path; its final component may not exist.</returns>
    /// <exception cref="SftpFileSystemException">A directory on the way is missing or not a directory, too many links, or the path holds a NUL.</exception>
    public ResolvedPath Resolve(string path, bool followFinalLink)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new SftpFileSystemException(FileSystemError.NoSuchFile, "Path contains a NUL character");
        }

        var pending = new LinkedList<string>();
        Prepend(pending, path.StartsWith('/') ? path : StartDirectory + "/" + path);
        var stack = new List<string>();
        int links = 0;
        bool exists = true;
        while (pending.First is { } node)
        {
            string name = node.Value;
            pending.RemoveFirst();
            if (name.Length == 0 || name == ".")
            {
                continue;
            }

            if (name == "..")
            {
                if (stack.Count > 0)
                {
                    stack.RemoveAt(stack.Count - 1);
                }

                continue;
            }

            bool isFinal = OnlyTrivial(pending);
            bool follow = followFinalLink || pending.Count > 0; // a trailing slash follows, as POSIX
            string host = Join(stack, name);
            FileSystemAttributes? attributes = Posix.TryStat(host, followLinks: false);
            if (attributes is null)
            {
                if (!isFinal)
                {
                    throw new SftpFileSystemException(FileSystemError.NoSuchFile, "No such file or directory");
                }

                stack.Add(name);
                exists = false;
                break;
            }

            if (attributes.Type == FileSystemEntryType.SymbolicLink && (!isFinal || follow))
            {
                if (++links > MaxLinks)
                {
                    throw new SftpFileSystemException(FileSystemError.TooManyLinks, "Too many levels of symbolic links");
                }

                string target = Posix.ReadLink(host);
                if (target.StartsWith('/'))
                {
                    stack.Clear();
                }

                Prepend(pending, target);
                continue;
            }

            if (!isFinal && attributes.Type != FileSystemEntryType.Directory)
            {
                throw new SftpFileSystemException(FileSystemError.NotDirectory, "Not a directory");
            }

            stack.Add(name);
        }

        return new ResolvedPath(Join(stack, null), "/" + string.Join('/', stack), exists);
    }

    /// <summary>
    /// The client path <paramref name="path"/> names, normalised without touching the disk: relative
    /// to the start directory, <c>.</c> and empty components dropped, <c>..</c> clamped at the root.
    /// </summary>
    /// <param name="path">An SFTP path.</param>
    /// <returns>An absolute SFTP path.</returns>
    public string Normalize(string path)
    {
        var stack = new List<string>();
        foreach (string name in (path.StartsWith('/') ? path : StartDirectory + "/" + path).Split('/'))
        {
            if (name == "..")
            {
                if (stack.Count > 0)
                {
                    stack.RemoveAt(stack.Count - 1);
                }
            }
            else if (name.Length > 0 && name != ".")
            {
                stack.Add(name);
            }
        }

        return "/" + string.Join('/', stack);
    }

    private static bool OnlyTrivial(LinkedList<string> pending)
    {
        foreach (string name in pending)
        {
            if (name.Length > 0 && name != ".")
            {
                return false;
            }
        }

        return true;
    }

    private static void Prepend(LinkedList<string> pending, string path)
    {
        string[] names = path.Split('/');
        for (int i = names.Length - 1; i >= 0; i--)
        {
            pending.AddFirst(names[i]);
        }
    }

    private string Join(List<string> stack, string? last)
    {
        var builder = new System.Text.StringBuilder(HostRoot.Length + 64);
        builder.Append(HostRoot == "/" ? string.Empty : HostRoot);
        foreach (string name in stack)
        {
            builder.Append('/').Append(name);
        }

        if (last is not null)
        {
            builder.Append('/').Append(last);
        }

        return builder.Length == 0 ? "/" : builder.ToString();
    }
}

/// <summary>A path resolved by <see cref="ConfinedPathResolver"/>.</summary>
/// <param name="HostPath">The host path to call the operating system with.</param>
/// <param name="ClientPath">The same path as the client sees it (absolute, from the root).</param>
/// <param name="Exists">Whether the final component exists.</param>
internal readonly record struct ResolvedPath(string HostPath, string ClientPath, bool Exists);
