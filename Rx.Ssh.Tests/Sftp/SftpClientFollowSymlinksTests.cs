using System.Runtime.Versioning;
using Rx.Ssh.Sftp;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Sftp;

/// <summary>
/// <see cref="SftpTransferOptions.FollowSymlinks"/> against OpenSSH's sftp-server: links to files and
/// directories (inside and outside the tree) become files and directories; dangling links and loops
/// stay links; without the option every link stays a link.
/// </summary>
[Collection(SftpSshdCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class SftpClientFollowSymlinksTests(SftpSshdFixture fixture)
{
    private static readonly DateTime Mtime = new(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private SftpClient Client => fixture.Client;

    [Fact]
    public async Task Recursive_get_and_put_follow_links_to_files_and_directories_and_keep_dangling_links_and_loops_as_links()
    {
        string dir = fixture.NewDirectory();
        string tree = BuildTree(dir);
        var options = new SftpTransferOptions { Recursive = true, Preserve = true, FollowSymlinks = true };

        SftpProgress down = await Client.GetAsync(tree, Path.Combine(dir, "down"), options).WithTimeout(TestTimeout.Long);
        SftpProgress up = await Client.PutAsync(tree, Path.Combine(dir, "up"), options).WithTimeout(TestTimeout.Long);

        // file.txt, sub/inner.txt, tofile, todir/inner.txt, outside/data.txt, a/tob/b.txt, b/b.txt, b/toa/a.txt, a/a.txt.
        foreach (SftpProgress progress in new[] { down, up })
        {
            Assert.Equal((9, 9), (progress.FilesDone, progress.TotalFiles));
            Assert.Equal(progress.TotalBytes, progress.BytesDone);
        }

        foreach (string copy in new[] { Path.Combine(dir, "down"), Path.Combine(dir, "up") })
        {
            AssertRegularFile(Path.Combine(copy, "tofile"), "file");
            Assert.Equal(Mtime, File.GetLastWriteTimeUtc(Path.Combine(copy, "tofile")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(Path.Combine(copy, "tofile")));

            AssertRealDirectory(Path.Combine(copy, "todir"));
            AssertRegularFile(Path.Combine(copy, "todir", "inner.txt"), "inner");
            AssertRegularFile(Path.Combine(copy, "sub", "inner.txt"), "inner");

            // A link to a directory outside the tree (absolute target) brings its contents and, preserving, its mode and times.
            AssertRealDirectory(Path.Combine(copy, "outside"));
            AssertRegularFile(Path.Combine(copy, "outside", "data.txt"), "data");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(copy, "outside")));
            Assert.Equal(Mtime, Directory.GetLastWriteTimeUtc(Path.Combine(copy, "outside")));

            // Nothing to follow: recreated as it was.
            Assert.Equal("nowhere", new FileInfo(Path.Combine(copy, "dangling")).LinkTarget);

            // Loops: back to the tree's root from inside it (directly and through the followed todir), and a → b → a.
            Assert.Equal("..", new FileInfo(Path.Combine(copy, "sub", "loop")).LinkTarget);
            Assert.Equal("..", new FileInfo(Path.Combine(copy, "todir", "loop")).LinkTarget);
            AssertRealDirectory(Path.Combine(copy, "a", "tob"));
            AssertRegularFile(Path.Combine(copy, "a", "tob", "b.txt"), "b");
            Assert.Equal("../a", new FileInfo(Path.Combine(copy, "a", "tob", "toa")).LinkTarget);
            AssertRealDirectory(Path.Combine(copy, "b", "toa"));
            Assert.Equal("../b", new FileInfo(Path.Combine(copy, "b", "toa", "tob")).LinkTarget);
        }
    }

    [Fact]
    public async Task Without_the_option_links_stay_links_and_multi_file_forms_follow_too()
    {
        string dir = fixture.NewDirectory();
        string tree = BuildTree(dir);
        var recreate = new SftpTransferOptions { Recursive = true };
        SftpProgress plain = await Client.GetAsync(tree, Path.Combine(dir, "plain"), recreate).WithTimeout(TestTimeout.Long);
        Assert.Equal(4, plain.TotalFiles); // file.txt, sub/inner.txt, a/a.txt, b/b.txt: nothing behind a link
        Assert.Equal("file.txt", new FileInfo(Path.Combine(dir, "plain", "tofile")).LinkTarget);
        Assert.Equal("sub", new FileInfo(Path.Combine(dir, "plain", "todir")).LinkTarget);
        Assert.Equal(Path.Combine(dir, "outside"), new FileInfo(Path.Combine(dir, "plain", "outside")).LinkTarget);

        string into = Directory.CreateDirectory(Path.Combine(dir, "multi")).FullName;
        var follow = recreate with { FollowSymlinks = true };
        SftpProgress got = await Client.Get([tree + "/to*"], into, follow).WithTimeout();
        Assert.Equal(2, got.TotalFiles);
        AssertRegularFile(Path.Combine(into, "tofile"), "file");
        AssertRegularFile(Path.Combine(into, "todir", "inner.txt"), "inner");

        string back = Directory.CreateDirectory(Path.Combine(dir, "back")).FullName;
        SftpProgress put = await Client.Put([Path.Combine(into, "todir"), Path.Combine(tree, "b")], back, follow).WithTimeout();
        Assert.Equal(3, put.TotalFiles);
        AssertRegularFile(Path.Combine(back, "b", "toa", "a.txt"), "a");
        Assert.Equal("../b", new FileInfo(Path.Combine(back, "b", "toa", "tob")).LinkTarget);
    }

    /// <summary>
    /// tree/{file.txt, sub/inner.txt, sub/loop → .., tofile → file.txt, todir → sub, outside → /abs/outside,
    /// dangling → nowhere, a/a.txt, a/tob → ../b, b/b.txt, b/toa → ../a}; outside/data.txt (mode 0700).
    /// </summary>
    private static string BuildTree(string dir)
    {
        string tree = Directory.CreateDirectory(Path.Combine(dir, "tree")).FullName;
        File.WriteAllText(Path.Combine(tree, "file.txt"), "file");
        File.SetUnixFileMode(Path.Combine(tree, "file.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        File.SetLastWriteTimeUtc(Path.Combine(tree, "file.txt"), Mtime);
        Directory.CreateDirectory(Path.Combine(tree, "sub"));
        File.WriteAllText(Path.Combine(tree, "sub", "inner.txt"), "inner");
        Directory.CreateSymbolicLink(Path.Combine(tree, "sub", "loop"), "..");
        File.CreateSymbolicLink(Path.Combine(tree, "tofile"), "file.txt");
        Directory.CreateSymbolicLink(Path.Combine(tree, "todir"), "sub");
        File.CreateSymbolicLink(Path.Combine(tree, "dangling"), "nowhere");
        Directory.CreateDirectory(Path.Combine(tree, "a"));
        Directory.CreateDirectory(Path.Combine(tree, "b"));
        File.WriteAllText(Path.Combine(tree, "a", "a.txt"), "a");
        File.WriteAllText(Path.Combine(tree, "b", "b.txt"), "b");
        Directory.CreateSymbolicLink(Path.Combine(tree, "a", "tob"), "../b");
        Directory.CreateSymbolicLink(Path.Combine(tree, "b", "toa"), "../a");

        string outside = Directory.CreateDirectory(Path.Combine(dir, "outside")).FullName;
        File.WriteAllText(Path.Combine(outside, "data.txt"), "data");
        File.SetUnixFileMode(outside, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.SetLastWriteTimeUtc(outside, Mtime);
        Directory.CreateSymbolicLink(Path.Combine(tree, "outside"), outside);
        return tree;
    }

    private static void AssertRegularFile(string path, string content)
    {
        Assert.Null(new FileInfo(path).LinkTarget);
        Assert.Equal(content, File.ReadAllText(path));
    }

    private static void AssertRealDirectory(string path)
    {
        Assert.Null(new DirectoryInfo(path).LinkTarget);
        Assert.True(Directory.Exists(path), path);
    }
}
