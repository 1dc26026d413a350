namespace Rx.Ssh.Trust;

/// <summary>
/// Parsed known_hosts files kept for the process and shared by every verification, keyed by full
/// path and the file's length and modification time, so a fleet of connections parses each file
/// once and a file that changes (a key <c>accept-new</c> added, an edit) is read again. A missing
/// file is not kept, and neither is one modified in the last <see cref="SettleTime"/>: file times
/// have a coarse clock, so two writes close together can leave the same length and time (git's
/// "racy" index entries); such a file is parsed at every use until it has settled. At most
/// <see cref="Capacity"/> files; the oldest is forgotten first.
/// </summary>
internal static class KnownHostsFileCache
{
    /// <summary>The most files kept.</summary>
    public const int Capacity = 64;

    /// <summary>How long after its last modification a file's length and time are trusted to name its content.</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);

    private static readonly Lock Gate = new();
    private static readonly LinkedList<(string Path, (long Length, DateTime Written) Stamp, KnownHostsFile File)> Entries = [];
    private static readonly Dictionary<string, int> Parses = new(StringComparer.Ordinal);

    /// <summary>How many times <paramref name="fullPath"/> was parsed (tests and diagnostics).</summary>
    public static int ParsesOf(string fullPath)
    {
        lock (Gate)
        {
            return Parses.GetValueOrDefault(fullPath);
        }
    }

    /// <summary>The file at <paramref name="path"/>, parsed once per version of it.</summary>
    public static async ValueTask<KnownHostsFile> LoadAsync(string path, CancellationToken cancellationToken)
    {
        if (Stamp(path) is not { } stamp)
        {
            return await KnownHostsFile.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        }

        string full = Path.GetFullPath(path);
        if (Find(full, stamp) is { } kept)
        {
            return kept;
        }

        KnownHostsFile file = await KnownHostsFile.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        Keep(full, stamp, file);
        return file;
    }

    /// <summary>The synchronous form of <see cref="LoadAsync"/>.</summary>
    public static KnownHostsFile Load(string path)
    {
        if (Stamp(path) is not { } stamp)
        {
            return KnownHostsFile.Load(path);
        }

        string full = Path.GetFullPath(path);
        if (Find(full, stamp) is { } kept)
        {
            return kept;
        }

        KnownHostsFile file = KnownHostsFile.Load(path);
        Keep(full, stamp, file);
        return file;
    }

    /// <summary>The file's length and time when it exists and has settled; null: read it afresh.</summary>
    private static (long, DateTime)? Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists && DateTime.UtcNow - info.LastWriteTimeUtc >= SettleTime ? (info.Length, info.LastWriteTimeUtc) : null;
    }

    private static KnownHostsFile? Find(string full, (long, DateTime) stamp)
    {
        lock (Gate)
        {
            foreach ((string path, (long, DateTime) kept, KnownHostsFile file) in Entries)
            {
                if (path == full && kept == stamp)
                {
                    return file;
                }
            }
        }

        return null;
    }

    private static void Keep(string full, (long Length, DateTime Written) stamp, KnownHostsFile file)
    {
        lock (Gate)
        {
            Parses[full] = Parses.GetValueOrDefault(full) + 1;
            for (LinkedListNode<(string Path, (long Length, DateTime Written) Stamp, KnownHostsFile File)>? node = Entries.First; node is not null; node = node.Next)
            {
                if (node.Value.Path == full)
                {
                    Entries.Remove(node);
                    break;
                }
            }

            Entries.AddFirst((full, stamp, file));
            while (Entries.Count > Capacity)
            {
                Entries.RemoveLast();
            }
        }
    }
}
