using Rx.Ssh.IO;

namespace Rx.Ssh.Trust;

/// <summary>
/// Parsed known_hosts files kept for the process and shared by every verification, keyed by the
/// file's <see cref="FileStamp"/> (full path, length, modification time), so a fleet of connections
/// parses each file once and a file that changes (a key <c>accept-new</c> added, an edit) is read
/// again. A missing file is not kept, and neither is one that has not settled (see
/// <see cref="FileStamp"/>): it is parsed at every use. At most <see cref="Capacity"/> files; the
/// oldest is forgotten first.
/// </summary>
internal static class KnownHostsFileCache
{
    /// <summary>The most files kept.</summary>
    public const int Capacity = 64;

    private static readonly Lock Gate = new();
    private static readonly LinkedList<(FileStamp Stamp, KnownHostsFile File)> Entries = [];

    /// <summary>The file at <paramref name="path"/>, parsed once per version of it.</summary>
    public static async ValueTask<KnownHostsFile> LoadAsync(string path, CancellationToken cancellationToken)
    {
        FileStamp? stamp = FileStamp.Settled(path);
        if (stamp is { } known && Find(known) is { } kept)
        {
            return kept;
        }

        KnownHostsFile file = await KnownHostsFile.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        Keep(stamp, file);
        return file;
    }

    /// <summary>The synchronous form of <see cref="LoadAsync"/>.</summary>
    public static KnownHostsFile Load(string path)
    {
        FileStamp? stamp = FileStamp.Settled(path);
        if (stamp is { } known && Find(known) is { } kept)
        {
            return kept;
        }

        KnownHostsFile file = KnownHostsFile.Load(path);
        Keep(stamp, file);
        return file;
    }

    private static KnownHostsFile? Find(FileStamp stamp)
    {
        lock (Gate)
        {
            foreach ((FileStamp kept, KnownHostsFile file) in Entries)
            {
                if (kept == stamp)
                {
                    return file;
                }
            }
        }

        return null;
    }

    /// <summary>Keeps <paramref name="file"/> under its stamp (replacing an older version); nothing without one.</summary>
    private static void Keep(FileStamp? stamp, KnownHostsFile file)
    {
        if (stamp is not { } known)
        {
            return;
        }

        lock (Gate)
        {
            for (LinkedListNode<(FileStamp Stamp, KnownHostsFile File)>? node = Entries.First; node is not null; node = node.Next)
            {
                if (node.Value.Stamp.FullPath == known.FullPath)
                {
                    Entries.Remove(node);
                    break;
                }
            }

            Entries.AddFirst((known, file));
            while (Entries.Count > Capacity)
            {
                Entries.RemoveLast();
            }
        }
    }
}
