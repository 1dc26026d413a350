using System.IO.Enumeration;

namespace Rx.Ssh.Sftp.Server.FileSystem;

/// <summary>
/// An open local directory: <c>.</c> and <c>..</c> first (as readdir gives them; <c>..</c> of the
/// root is the root), then the names .NET's enumerator yields, each with its lstat attributes and
/// an <c>ls -l</c> line. Entries that vanish between the listing and their lstat are skipped.
/// </summary>
internal sealed class LocalOpenDirectory : SftpOpenDirectory
{
    private readonly LocalFileSystem _owner;
    private readonly string _host;
    private readonly IEnumerator<string> _names;
    private readonly Queue<DirectoryEntry> _ready = new();
    private bool _done;

    public LocalOpenDirectory(LocalFileSystem owner, string host, FileSystemAttributes self, string parent)
    {
        _owner = owner;
        _host = host;
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

        // Reading the first name now makes a directory that cannot be read fail at OPENDIR, as sshd's opendir does.
        try
        {
            Fill(1);
        }
        catch
        {
            _names.Dispose();
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
            if (Posix.TryStat(_host + "/" + name, followLinks: false) is { } attributes)
            {
                _ready.Enqueue(Entry(name, attributes));
            }
        }
    }

    private DirectoryEntry Entry(string name, FileSystemAttributes attributes) =>
        new(name, attributes, _owner.FormatLongName(name, attributes));
}
