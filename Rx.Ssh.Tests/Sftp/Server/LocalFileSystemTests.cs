using Rx.Ssh.Sftp;
using System.Text;
using Rx.Ssh.Sftp.Server;

namespace Rx.Ssh.Tests.Sftp.Server;

/// <summary>
/// <see cref="LocalFileSystem"/> without a root: the operations do what POSIX does, and errno
/// values come back as the <see cref="FileSystemError"/> the server reports (ENOSPC with a clear message).
/// </summary>
public sealed class LocalFileSystemTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rxssh-lfs-").FullName;
    private readonly LocalFileSystem _fs = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Files_round_trip_with_attributes()
    {
        string path = _dir + "/f";
        await using (SftpOpenFile file = await _fs.OpenFileAsync(path, SftpOpenFlags.Write | SftpOpenFlags.Create | SftpOpenFlags.Exclusive, new FileSystemAttributes { Permissions = 0x1A0 }, default))
        {
            await Task.WhenAll(
                file.WriteAsync(5, Encoding.ASCII.GetBytes("world"), default).AsTask(),
                file.WriteAsync(0, Encoding.ASCII.GetBytes("hello"), default).AsTask());
            FileSystemAttributes fstat = await file.GetAttributesAsync(default);
            Assert.Equal(10, fstat.Size);
            Assert.Equal(0x81A0u, fstat.Permissions);
        }

        var exists = await Assert.ThrowsAsync<SftpFileSystemException>(() => _fs.OpenFileAsync(path, SftpOpenFlags.Write | SftpOpenFlags.Create | SftpOpenFlags.Exclusive, FileSystemAttributes.Empty, default).AsTask());
        Assert.Equal(FileSystemError.FileExists, exists.Error);

        var mtime = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await _fs.SetAttributesAsync(path, new FileSystemAttributes { Size = 5, Permissions = 0x1ED, AccessTime = mtime, ModifyTime = mtime }, followLinks: true, default);
        FileSystemAttributes stat = await _fs.GetAttributesAsync(path, followLinks: true, default);
        Assert.Equal(5, stat.Size);
        Assert.Equal(0x81EDu, stat.Permissions);
        Assert.Equal(mtime, stat.ModifyTime);
        Assert.Equal("hello", await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Rename_refuses_an_existing_target_and_posix_rename_replaces_it()
    {
        await File.WriteAllTextAsync(_dir + "/a", "a");
        await File.WriteAllTextAsync(_dir + "/b", "b");
        var ex = await Assert.ThrowsAsync<SftpFileSystemException>(() => _fs.RenameAsync(_dir + "/a", _dir + "/b", replace: false, default).AsTask());
        Assert.Equal(FileSystemError.FileExists, ex.Error);
        await _fs.RenameAsync(_dir + "/a", _dir + "/b", replace: true, default);
        Assert.Equal("a", await File.ReadAllTextAsync(_dir + "/b"));
        await _fs.RenameAsync(_dir + "/b", _dir + "/c", replace: false, default);
        Assert.True(File.Exists(_dir + "/c"));
    }

    [Fact]
    public async Task Directories_links_and_errors()
    {
        await _fs.CreateDirectoryAsync(_dir + "/d", new FileSystemAttributes { Permissions = 0x1C0 }, default);
        await File.WriteAllTextAsync(_dir + "/d/x", "x");
        Assert.Equal(FileSystemError.DirectoryNotEmpty, (await Assert.ThrowsAsync<SftpFileSystemException>(() => _fs.RemoveDirectoryAsync(_dir + "/d", default).AsTask())).Error);
        Assert.Equal(FileSystemError.NoSuchFile, (await Assert.ThrowsAsync<SftpFileSystemException>(() => _fs.RemoveFileAsync(_dir + "/nope", default).AsTask())).Error);
        Assert.Equal(FileSystemError.NoSuchFile, (await Assert.ThrowsAsync<SftpFileSystemException>(() => _fs.CreateDirectoryAsync(_dir + "/no/such", FileSystemAttributes.Empty, default).AsTask())).Error);
        Assert.Equal(FileSystemError.IsDirectory, (await Assert.ThrowsAsync<SftpFileSystemException>(() => _fs.OpenFileAsync(_dir + "/d", SftpOpenFlags.Read, FileSystemAttributes.Empty, default).AsTask())).Error);

        await _fs.CreateSymbolicLinkAsync(_dir + "/l", "d/x", default);
        Assert.Equal("d/x", await _fs.ReadLinkAsync(_dir + "/l", default));
        Assert.Equal(_dir + "/d/x", await _fs.RealPathAsync(_dir + "/l", default));
        Assert.Equal(FileSystemEntryType.SymbolicLink, (await _fs.GetAttributesAsync(_dir + "/l", followLinks: false, default)).Type);
        await _fs.CreateHardLinkAsync(_dir + "/d/x", _dir + "/h", default);
        Assert.Equal(2u, (await _fs.GetAttributesAsync(_dir + "/h", followLinks: true, default)).LinkCount);

        FileSystemSpace space = await _fs.GetSpaceAsync(_dir, default);
        Assert.True(space.Blocks > 0 && space.BlockSize > 0);
    }

    [Fact]
    public async Task Directory_is_read_in_batches_with_long_names()
    {
        for (int i = 0; i < 250; i++)
        {
            await File.WriteAllTextAsync($"{_dir}/f{i:D3}", "x");
        }

        await File.WriteAllTextAsync($"{_dir}/.hidden", "dot files are listed too");

        await using SftpOpenDirectory dir = await _fs.OpenDirectoryAsync(_dir, default);
        var batches = new List<int>();
        var names = new List<DirectoryEntry>();
        for (IReadOnlyList<DirectoryEntry> batch; (batch = await dir.ReadAsync(100, default)).Count > 0;)
        {
            batches.Add(batch.Count);
            names.AddRange(batch);
        }

        Assert.Equal([100, 100, 53], batches);
        Assert.Contains(names, e => e.Name == ".hidden");
        DirectoryEntry f = names.Single(e => e.Name == "f007");
        Assert.Matches(@"^-rw-.{6} +1 \S+ +\S+ +1 \w{3} \d\d \d\d:\d\d f007$", f.LongName);
        Assert.Equal(FileSystemError.NoSuchFile, (await Assert.ThrowsAsync<SftpFileSystemException>(() => _fs.OpenDirectoryAsync(_dir + "/none", default).AsTask())).Error);
    }

    [Fact]
    public async Task Disk_full_is_reported_as_no_space()
    {
        await using SftpOpenFile full = await _fs.OpenFileAsync("/dev/full", SftpOpenFlags.Write, FileSystemAttributes.Empty, default);
        var ex = await Assert.ThrowsAsync<SftpFileSystemException>(() => full.WriteAsync(0, new byte[4096], default).AsTask());
        Assert.Equal(FileSystemError.NoSpace, ex.Error);
        Assert.Equal("No space left on device", ex.Message);
    }

    [Fact]
    public void Dotnet_exceptions_are_classified()
    {
        Assert.Equal(FileSystemError.NoSuchFile, FileSystemErrors.ToException(new FileNotFoundException()).Error);
        Assert.Equal(FileSystemError.NoSuchFile, FileSystemErrors.ToException(new DirectoryNotFoundException()).Error);
        Assert.Equal(FileSystemError.PermissionDenied, FileSystemErrors.ToException(new UnauthorizedAccessException()).Error);
        Assert.Equal(FileSystemError.OperationUnsupported, FileSystemErrors.ToException(new NotSupportedException()).Error);
        SftpFileSystemException nospace = FileSystemErrors.ToException(new IOException("disk", 28));
        Assert.Equal((FileSystemError.NoSpace, "No space left on device"), (nospace.Error, nospace.Message));
        Assert.Equal(FileSystemError.PermissionDenied, FileSystemErrors.ToException(new IOException("acc", 13)).Error);
        Assert.Equal(FileSystemError.Failure, FileSystemErrors.ToException(new InvalidOperationException("odd")).Error);
    }

    [Fact]
    public void Long_name_mode_strings()
    {
        Assert.Equal("drwxr-xr-x", LongName.ModeString(0x41ED));
        Assert.Equal("-rwsr-sr-T", LongName.ModeString(0x8000 | 0xE00 | 0x1EC));
        Assert.Equal("lrwxrwxrwx", LongName.ModeString(0xA1FF));
    }
}
