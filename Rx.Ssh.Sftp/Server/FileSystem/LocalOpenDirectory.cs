using System.IO.Enumeration;
using Microsoft.Win32.SafeHandles;

namespace Rx.Ssh.Sftp.Server.FileSystem;

/// <summary>
/// An open local directory: <c>.</c> and <c>..</c> first (as readdir gives them; <c>..</c> of the
/// root is the root), then the names .NET's enumerator yields, each with its lstat attributes and
/// an <c>ls -l</c> line. Entries that vanish between the listing and their lstat are skipped.
/// Each entry is looked at relative to a descriptor of the directory opened with the listing
/// (<c>statx</c> on it, not on a path), so a later rename or swap of a directory above cannot
/// point the lookups elsewhere.
/// </summary>
internal sealed class LocalOpenDirectory : SftpOpenDirectory
{
    private readonly LocalFileSystem _owner;
    private readonly SafeFileHandle _directory;
    private readonly IEnumerator<string> _names;
    private readonly Queue<DirectoryEntry> _ready = new();
    private bool _done;

    public LocalOpenDirectory(LocalFileSystem owner, string host, FileSystemAttributes self, string parent)
    {
        _owner = owner;

        // Confined, the host path's last component is a real directory (links resolved): O_NOFOLLOW refuses one that appeared since.
        _directory = Posix.Open(host, PosixNative.O_RDONLY | PosixNative.O_DIRECTORY | (owner.IsConfined ? PosixNative.O_NOFOLLOW : 0), 0);
        try
        {
            _ready.Enqueue(Entry(".", self));
            _ready.Enqueue(Entry("..", Posix.TryStat(parent, followLinks: true) ?? self));
            var options = new EnumerationOptions
            {
                AttributesToSkip = 0,
                IgnoreInaccessible = false,
                RecurseSubdirectories = false,
                ReturnSpecialDirectories = false,
            };
            _names = new FileSystemEnumerable<string>(host, (ref System.IO.Enumeration.FileSystemEntry entry) => entry.FileName.ToString(), options).GetEnumerator();
        }
        catch
        {
            _directory.Dispose();
            throw;
        }

        // Reading the first name now makes a directory that cannot be read fail at OPENDIR, as sshd's opendir does.
        try
        {
            Fill(1);
        }
        catch
        {
            _names.Dispose();
            _directory.Dispose();
            throw;
        }
    }

    public override ValueTask<IReadOnlyList<DirectoryEntry>> ReadAsync(int maxEntries, CancellationToken cancellationToken)
    {
        try
        {
            Fill(Math.Max(1, maxEntries));
            var batch = new List<DirectoryEntry>(Math.Min(_ready.Count, maxEntries));
            while (batch.Count < maxEntries && _ready.TryDequeue(out DirectoryEntry? entry))
            {
                batch.Add(entry);
            }

            return ValueTask.FromResult<IReadOnlyList<DirectoryEntry>>(batch);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ValueTask.FromException<IReadOnlyList<DirectoryEntry>>(FileSystemErrors.ToException(ex));
        }
    }

    protected override ValueTask DisposeAsyncCore()
    {
        _names.Dispose();
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Fill(int count)
    {
        while (!_done && _ready.Count < count)
        {
            if (!_names.MoveNext())
            {
                _done = true;
                break;
            }

            string name = _names.Current;
            if (Posix.TryLStatAt(_directory, name) is { } attributes)
            {
                _ready.Enqueue(Entry(name, attributes));
            }
        }
    }

    private DirectoryEntry Entry(string name, FileSystemAttributes attributes) =>
        new(name, attributes, _owner.FormatLongName(name, attributes));
}
