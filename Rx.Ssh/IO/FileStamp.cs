namespace Rx.Ssh.IO;

/// <summary>
/// A file's full path, length and last write time, the key under which the process-wide file
/// caches (key files, known_hosts) keep what they read. Trusted to name the file's content only
/// once the file has not changed for <see cref="SettleTime"/>: file times come from a coarse clock,
/// so two same-length writes a few milliseconds apart can leave the same stamp (git's "racy"
/// index entries); such a file has no stamp and is read at every use until it settles.
/// </summary>
internal readonly record struct FileStamp(string FullPath, long Length, DateTime Written)
{
    /// <summary>How long after its last modification a file's length and time are trusted to name its content.</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);

    /// <summary>The stamp of <paramref name="path"/>; null when it does not exist or changed within <see cref="SettleTime"/>.</summary>
    public static FileStamp? Settled(string path)
    {
        var info = new FileInfo(path);
        return info.Exists && DateTime.UtcNow - info.LastWriteTimeUtc >= SettleTime
            ? new FileStamp(info.FullName, info.Length, info.LastWriteTimeUtc)
            : null;
    }
}
