using Rx.Ssh.Sftp;
using System.Text;
using Rx.Ssh.Sftp.Server;

namespace Rx.Ssh.Tests.Sftp.Server;

/// <summary>
/// <see cref="LocalFileSystem"/> with a root: every way out of it (<c>..</c>, absolute paths,
/// symbolic links with absolute or climbing targets, chains and loops, rename/symlink/hard link
/// to or from outside) is refused or lands inside the root, and nothing outside is read or changed.
/// </summary>
public sealed class LocalFileSystemConfinementTests : IDisposable
{
    private readonly string _base = Directory.CreateTempSubdirectory("rxssh-chroot-").FullName;
    private readonly string _root;
    private readonly string _outside;
    private readonly string _secret;
    private readonly LocalFileSystem _fs;

    public LocalFileSystemConfinementTests()
    {
        _root = Path.Combine(_base, "root");
        _outside = Path.Combine(_base, "outside");
        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(_outside);
        _secret = Path.Combine(_outside, "secret");
        File.WriteAllText(_secret, "top secret");
        File.WriteAllText(Path.Combine(_root, "inside.txt"), "hello");
        Directory.CreateDirectory(Path.Combine(_root, "sub"));
        _fs = new LocalFileSystem(_root);
    }

    public void Dispose() => Directory.Delete(_base, recursive: true);

    [Fact]
    public async Task Root_is_slash_and_dotdot_stops_there()
    {
        Assert.True(_fs.IsConfined);
        Assert.Equal("/", await _fs.RealPathAsync(".", default));
        Assert.Equal("/", await _fs.RealPathAsync("/../../..", default));
        Assert.Equal("/inside.txt", await _fs.RealPathAsync("sub/../../../inside.txt", default));
        FileSystemAttributes a = await _fs.GetAttributesAsync("/../../../inside.txt", followLinks: true, default);
        Assert.Equal(5, a.Size);
    }

    [Theory]
    [InlineData("../outside/secret")]
    [InlineData("/../outside/secret")]
    [InlineData("sub/../../outside/secret")]
    public async Task Dotdot_paths_do_not_reach_outside(string path)
    {
        await AssertNoSuchFile(() => _fs.GetAttributesAsync(path, followLinks: true, default).AsTask());
        await AssertNoSuchFile(() => _fs.OpenFileAsync(path, SftpOpenFlags.Read, FileSystemAttributes.Empty, default).AsTask());
    }

    [Fact]
    public async Task Absolute_host_paths_are_inside_the_root()
    {
        await AssertNoSuchFile(() => _fs.GetAttributesAsync(_secret, followLinks: true, default).AsTask());
        await AssertNoSuchFile(() => _fs.OpenFileAsync("/etc/passwd", SftpOpenFlags.Read, FileSystemAttributes.Empty, default).AsTask());
    }

    [Fact]
    public async Task Absolute_symlink_target_is_taken_from_the_root()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "escape"), _secret);
        File.CreateSymbolicLink(Path.Combine(_root, "passwd"), "/etc/passwd");

        await AssertNoSuchFile(() => _fs.OpenFileAsync("escape", SftpOpenFlags.Read, FileSystemAttributes.Empty, default).AsTask());
        await AssertNoSuchFile(() => _fs.GetAttributesAsync("/passwd", followLinks: true, default).AsTask());
        await AssertNoSuchFile(() => _fs.RealPathAsync("escape", default).AsTask());

        // The link itself is visible (lstat), and a file made at the link's target is made inside.
        FileSystemAttributes link = await _fs.GetAttributesAsync("escape", followLinks: false, default);
        Assert.Equal(FileSystemEntryType.SymbolicLink, link.Type);
        await AssertNoSuchFile(() => _fs.OpenFileAsync("escape", SftpOpenFlags.Write | SftpOpenFlags.Create, FileSystemAttributes.Empty, default).AsTask());
        Assert.Equal("top secret", File.ReadAllText(_secret));
    }

    [Fact]
    public async Task Climbing_relative_symlink_is_clamped_at_the_root()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "sub", "up"), "../../../../..");
        Assert.Equal("/", await _fs.RealPathAsync("sub/up", default));
        await AssertNoSuchFile(() => _fs.GetAttributesAsync("sub/up/outside/secret", followLinks: true, default).AsTask());
        FileSystemAttributes viaUp = await _fs.GetAttributesAsync("sub/up/inside.txt", followLinks: true, default);
        Assert.Equal(5, viaUp.Size);
    }

    [Fact]
    public async Task Symlinked_directory_to_outside_is_not_entered()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "out"), _outside);
        await AssertNoSuchFile(() => _fs.GetAttributesAsync("out/secret", followLinks: true, default).AsTask());
        await AssertNoSuchFile(() => _fs.OpenDirectoryAsync("out", default).AsTask());
        await AssertNoSuchFile(() => _fs.RemoveFileAsync("out/secret", default).AsTask());
        Assert.True(File.Exists(_secret));
    }

    [Fact]
    public async Task Symlink_chain_and_loop()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "a"), "b");
        File.CreateSymbolicLink(Path.Combine(_root, "b"), "sub/c");
        File.CreateSymbolicLink(Path.Combine(_root, "sub", "c"), "../../outside/secret");
        await AssertNoSuchFile(() => _fs.GetAttributesAsync("a", followLinks: true, default).AsTask());
        await AssertNoSuchFile(() => _fs.RealPathAsync("a", default).AsTask());
        File.WriteAllText(Path.Combine(_root, "target"), "t");
        File.Delete(Path.Combine(_root, "sub", "c"));
        File.CreateSymbolicLink(Path.Combine(_root, "sub", "c"), "../../../target");
        Assert.Equal("/target", await _fs.RealPathAsync("a", default));

        File.CreateSymbolicLink(Path.Combine(_root, "loop1"), "loop2");
        File.CreateSymbolicLink(Path.Combine(_root, "loop2"), "/loop1");
        var loop = await Assert.ThrowsAsync<SftpFileSystemException>(() => _fs.GetAttributesAsync("loop1", followLinks: true, default).AsTask());
        Assert.Equal(FileSystemError.TooManyLinks, loop.Error);
    }

    [Fact]
    public async Task Rename_and_hardlink_cannot_move_outside_or_take_from_outside()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "out"), _outside);
        await AssertNoSuchFile(() => _fs.RenameAsync("inside.txt", "../outside/moved", replace: false, default).AsTask());
        await AssertNoSuchFile(() => _fs.RenameAsync("inside.txt", "out/moved", replace: true, default).AsTask());
        await AssertNoSuchFile(() => _fs.RenameAsync("../outside/secret", "stolen", replace: false, default).AsTask());
        await AssertNoSuchFile(() => _fs.CreateHardLinkAsync("../outside/secret", "stolen", default).AsTask());
        await AssertNoSuchFile(() => _fs.CreateHardLinkAsync("out/secret", "stolen", default).AsTask());
        await AssertNoSuchFile(() => _fs.CreateHardLinkAsync("inside.txt", "out/planted", default).AsTask());
        Assert.Equal(["secret"], Directory.GetFileSystemEntries(_outside).Select(Path.GetFileName));
        Assert.True(File.Exists(Path.Combine(_root, "inside.txt")));

        // Renaming the link itself is fine (it stays inside), and does not touch what it points to.
        await _fs.RenameAsync("out", "out2", replace: false, default);
        Assert.True(File.Exists(_secret));
    }

    [Fact]
    public async Task Symlink_made_through_sftp_stores_a_target_inside_the_root()
    {
        await _fs.CreateSymbolicLinkAsync("sub/abs", "/inside.txt", default);
        await _fs.CreateSymbolicLinkAsync("sub/climb", "../../../../outside/secret", default);
        await _fs.CreateSymbolicLinkAsync("../../planted", _secret, default);

        Assert.Equal("../inside.txt", new FileInfo(Path.Combine(_root, "sub", "abs")).LinkTarget);
        Assert.Equal("../outside/secret", new FileInfo(Path.Combine(_root, "sub", "climb")).LinkTarget);
        Assert.Equal("hello", await ReadAllAsync("sub/abs"));
        Assert.Equal(["outside", "root"], Directory.GetFileSystemEntries(_base).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(_secret.TrimStart('/'), new FileInfo(Path.Combine(_root, "planted")).LinkTarget);

        // The host view agrees: following the stored targets from the host stays inside the root.
        string resolved = Path.GetFullPath(Path.Combine(_root, "sub", new FileInfo(Path.Combine(_root, "sub", "climb")).LinkTarget!));
        Assert.StartsWith(_root + "/", resolved, StringComparison.Ordinal);
        Assert.Equal("hello", File.ReadAllText(Path.Combine(_root, "sub", "abs")));
    }

    [Fact]
    public async Task Create_write_mkdir_through_escapes_stay_inside()
    {
        await AssertNoSuchFile(() => _fs.OpenFileAsync("../../outside/new", SftpOpenFlags.Write | SftpOpenFlags.Create, FileSystemAttributes.Empty, default).AsTask());
        await AssertNoSuchFile(() => _fs.CreateDirectoryAsync("../outside/dir", FileSystemAttributes.Empty, default).AsTask());
        await using (SftpOpenFile file = await _fs.OpenFileAsync("/../new.txt", SftpOpenFlags.Write | SftpOpenFlags.Create, FileSystemAttributes.Empty, default))
        {
            await file.WriteAsync(0, Encoding.UTF8.GetBytes("x"), default);
        }

        Assert.True(File.Exists(Path.Combine(_root, "new.txt")));
        Assert.False(File.Exists(Path.Combine(_base, "new.txt")));
        Assert.Equal(["secret"], Directory.GetFileSystemEntries(_outside).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Listing_the_root_parent_lists_the_root()
    {
        await using SftpOpenDirectory dir = await _fs.OpenDirectoryAsync("/..", default);
        var names = new List<string>();
        for (IReadOnlyList<DirectoryEntry> batch; (batch = await dir.ReadAsync(1000, default)).Count > 0;)
        {
            names.AddRange(batch.Select(e => e.Name));
        }

        Assert.Equal([".", "..", "inside.txt", "sub"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Nul_in_a_path_is_refused()
    {
        await AssertNoSuchFile(() => _fs.GetAttributesAsync("inside.txt\0/../../etc/passwd", followLinks: true, default).AsTask());
    }

    [Fact]
    public async Task Home_directory_is_the_start_directory()
    {
        Assert.Equal("/", await _fs.GetHomeDirectoryAsync("anyone", default));
        var inSub = new LocalFileSystem(_root, "/sub/../../sub");
        Assert.Equal("/sub", inSub.StartDirectory);
        Assert.Equal("/sub", await inSub.RealPathAsync(".", default));
        Assert.Equal("/inside.txt", await inSub.RealPathAsync("../../inside.txt", default));
    }

    private async Task<string> ReadAllAsync(string path)
    {
        await using SftpOpenFile file = await _fs.OpenFileAsync(path, SftpOpenFlags.Read, FileSystemAttributes.Empty, default);
        byte[] buffer = new byte[100];
        int n = await file.ReadAsync(0, buffer, default);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    private static async Task AssertNoSuchFile(Func<Task> action)
    {
        var ex = await Assert.ThrowsAsync<SftpFileSystemException>(action);
        Assert.True(ex.Error is FileSystemError.NoSuchFile or FileSystemError.NotDirectory, ex.Error + ": " + ex.Message);
    }
}
