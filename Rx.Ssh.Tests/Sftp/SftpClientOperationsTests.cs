using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Runtime.Versioning;
using System.Text;
using Rx.Ssh.Sftp;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Sftp;

/// <summary>Every SFTP operation and OpenSSH extension of <see cref="SftpClient"/> against OpenSSH's sftp-server through sshd.</summary>
[Collection(SftpSshdCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class SftpClientOperationsTests(SftpSshdFixture fixture)
{
    private SftpClient Client => fixture.Client;

    [Fact]
    public void Version_3_is_agreed_with_openssh_extensions_and_255_KiB_blocks_from_limits()
    {
        Assert.Equal(3u, Client.Version);
        foreach (string name in new[] { SftpExtensionNames.PosixRename, SftpExtensionNames.StatVfs, SftpExtensionNames.FStatVfs, SftpExtensionNames.Hardlink, SftpExtensionNames.Fsync, SftpExtensionNames.LSetStat, SftpExtensionNames.Limits, SftpExtensionNames.ExpandPath, SftpExtensionNames.CopyData })
        {
            Assert.True(Client.Supports(name), name);
        }

        Assert.NotNull(Client.Limits);
        Assert.Equal(255 * 1024, Client.ReadBlockSize);
        Assert.Equal(255 * 1024, Client.WriteBlockSize);
    }

    [Fact]
    public async Task Open_write_read_fstat_fsetstat_fsync_close()
    {
        string path = Path.Combine(fixture.NewDirectory(), "f.bin");
        byte[] data = Enumerable.Range(0, 600_000).Select(i => (byte)(i * 7)).ToArray();
        await using (SftpFile file = await Client.OpenAsync(path, SftpOpenFlags.Write | SftpOpenFlags.Create | SftpOpenFlags.Exclusive, new SftpAttributes { Permissions = 0x180 }).WithTimeout())
        {
            await file.WriteAsync(0, data).WithTimeout();
            await file.FsyncAsync().WithTimeout();
            Assert.Equal((ulong)data.Length, (await file.StatAsync().WithTimeout()).Size);
            await file.SetStatAsync(new SftpAttributes { Size = 500_000 }).WithTimeout();
            await file.CloseAsync().WithTimeout();
        }

        Assert.Equal(data.AsSpan(0, 500_000).ToArray(), await File.ReadAllBytesAsync(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        await using SftpFile reader = await Client.OpenAsync(path, SftpOpenFlags.Read).WithTimeout();
        byte[] buffer = new byte[1000];
        Assert.Equal(1000, await reader.ReadAsync(1000, buffer).WithTimeout());
        Assert.Equal(data.AsSpan(1000, 1000).ToArray(), buffer);
        Assert.Equal(0, await reader.ReadAsync(500_000, buffer).WithTimeout());
        Assert.True((await reader.StatVfsAsync().WithTimeout()).Blocks > 0);
    }

    [Fact]
    public async Task Stat_lstat_setstat_lsetstat_and_symlinks()
    {
        string dir = fixture.NewDirectory();
        string file = Path.Combine(dir, "target");
        string link = Path.Combine(dir, "link");
        await File.WriteAllTextAsync(file, "hello");
        await Client.SymlinkAsync(link, "target").WithTimeout();

        Assert.Equal("target", await Client.ReadLinkAsync(link).WithTimeout());
        Assert.True((await Client.LStatAsync(link).WithTimeout()).IsSymbolicLink);
        SftpAttributes stat = await Client.StatAsync(link).WithTimeout();
        Assert.True(stat.IsRegularFile);
        Assert.Equal(5ul, stat.Size);

        var mtime = DateTimeOffset.FromUnixTimeSeconds(1_600_000_000);
        await Client.SetStatAsync(file, new SftpAttributes { Permissions = 0x1ED, AccessTime = mtime, ModifyTime = mtime }).WithTimeout();
        SftpAttributes changed = await Client.StatAsync(file).WithTimeout();
        Assert.Equal(mtime, changed.ModifyTime);
        Assert.Equal(0x1EDu, changed.Permissions! & 0xFFF);

        await Client.LSetStatAsync(link, new SftpAttributes { AccessTime = mtime, ModifyTime = mtime.AddDays(1) }).WithTimeout();
        Assert.Equal(mtime.AddDays(1), (await Client.LStatAsync(link).WithTimeout()).ModifyTime);
        Assert.Equal(mtime, (await Client.StatAsync(file).WithTimeout()).ModifyTime);
    }

    [Fact]
    public async Task Mkdir_rmdir_remove_rename_posix_rename_hardlink()
    {
        string dir = fixture.NewDirectory();
        string sub = Path.Combine(dir, "sub");
        await Client.MkdirAsync(sub).WithTimeout();
        Assert.True(await Client.IsDirectoryAsync(sub).WithTimeout());
        await Client.RmdirAsync(sub).WithTimeout();
        Assert.False(await Client.ExistsAsync(sub).WithTimeout());

        string a = Path.Combine(dir, "a"), b = Path.Combine(dir, "b"), c = Path.Combine(dir, "c");
        await File.WriteAllTextAsync(a, "A");
        await File.WriteAllTextAsync(b, "B");
        await Assert.ThrowsAsync<SftpException>(() => Client.RenameAsync(a, b).WithTimeout());
        await Client.PosixRenameAsync(a, b).WithTimeout();
        Assert.Equal("A", await File.ReadAllTextAsync(b));
        Assert.False(File.Exists(a));
        await Client.RenameAsync(b, a).WithTimeout();
        await Client.HardlinkAsync(a, c).WithTimeout();
        Assert.Equal("A", await File.ReadAllTextAsync(c));
        Assert.True(await Client.IsFileAsync(c).WithTimeout());
        await Client.RemoveAsync(a).WithTimeout();
        await Client.RemoveAsync(c).WithTimeout();
        Assert.Empty(Directory.GetFileSystemEntries(dir));
        Assert.False(await Client.IsFileAsync(dir).WithTimeout());
        Assert.False(await Client.IsFileAsync(a).WithTimeout());
    }

    [Fact]
    public async Task Realpath_expand_path_home_directory_statvfs_limits_and_users_groups()
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(home, await Client.RealPathAsync(".").WithTimeout());
        string dir = fixture.NewDirectory();
        Assert.Equal(dir, await Client.RealPathAsync(dir + "/./../" + Path.GetFileName(dir) + "/").WithTimeout());
        Assert.Equal(home, await Client.ExpandPathAsync("~").WithTimeout());
        if (Client.Supports(SftpExtensionNames.HomeDirectory))
        {
            Assert.Equal(home, await Client.HomeDirectoryAsync(SshdServer.UserName).WithTimeout());
        }

        SftpStatVfs vfs = await Client.StatVfsAsync(fixture.Root).WithTimeout();
        Assert.True(vfs.Blocks > 0 && vfs.MaxNameLength >= 255);
        SftpLimits limits = await Client.GetLimitsAsync().WithTimeout();
        Assert.Equal(256ul * 1024, limits.MaxPacketLength);

        if (Client.Supports(SftpExtensionNames.UsersGroupsById))
        {
            (IReadOnlyList<string> users, IReadOnlyList<string> groups) = await Client.GetUsersGroupsByIdAsync([0], [0]).WithTimeout();
            Assert.Equal(["root"], users);
            Assert.Equal(["root"], groups);
        }
        else
        {
            SftpException e = await Assert.ThrowsAsync<SftpException>(() => Client.GetUsersGroupsByIdAsync([0], [0]));
            Assert.Equal(SftpStatusCode.OperationUnsupported, e.Code);
        }
    }

    [Fact]
    public async Task Copy_data_copies_on_the_server()
    {
        string dir = fixture.NewDirectory();
        byte[] data = Encoding.ASCII.GetBytes("0123456789abcdef");
        await File.WriteAllBytesAsync(Path.Combine(dir, "src"), data);
        await using SftpFile src = await Client.OpenAsync(Path.Combine(dir, "src"), SftpOpenFlags.Read).WithTimeout();
        await using SftpFile dst = await Client.OpenAsync(Path.Combine(dir, "dst"), SftpOpenFlags.Write | SftpOpenFlags.Create).WithTimeout();
        await Client.CopyDataAsync(src, 4, 6, dst, 0).WithTimeout();
        await Client.CopyDataAsync(src, 0, 0, dst, 6).WithTimeout();
        await dst.CloseAsync().WithTimeout();
        Assert.Equal("456789" + "0123456789abcdef", await File.ReadAllTextAsync(Path.Combine(dir, "dst")));
    }

    [Fact]
    public async Task Failures_are_SftpExceptions_with_the_status_code()
    {
        string dir = fixture.NewDirectory();
        SftpException missing = await Assert.ThrowsAsync<SftpException>(() => Client.StatAsync(Path.Combine(dir, "nope")).WithTimeout());
        Assert.Equal(SftpStatusCode.NoSuchFile, missing.Code);
        Assert.False(string.IsNullOrEmpty(missing.Message));

        SftpException open = await Assert.ThrowsAsync<SftpException>(() => Client.OpenAsync(Path.Combine(dir, "nope"), SftpOpenFlags.Read).WithTimeout());
        Assert.Equal(SftpStatusCode.NoSuchFile, open.Code);

        // The tests run as root, to whom mode bits deny nothing: sysfs refuses writes to this read-only file to everyone (EACCES).
        SftpException denied = await Assert.ThrowsAsync<SftpException>(() => Client.OpenAsync("/sys/kernel/notes", SftpOpenFlags.Write).WithTimeout());
        Assert.Equal(SftpStatusCode.PermissionDenied, denied.Code);

        await Assert.ThrowsAsync<ArgumentException>(() => Client.StatAsync("a\0b"));
        Assert.Equal(3u, Client.Version); // the session is unaffected
        Assert.True(await Client.IsDirectoryAsync(dir).WithTimeout());
    }

    [Fact]
    public async Task A_large_directory_streams_as_an_observable_and_an_async_enumerable()
    {
        string dir = fixture.NewDirectory();
        const int Count = 10_000;
        for (int i = 0; i < Count; i++)
        {
            File.Create(Path.Combine(dir, $"f{i:D5}")).Dispose();
        }

        int seen = 0;
        SftpName? last = await Client.ListDirectory(dir).Do(_ => seen++).LastAsync().ToTask().WaitAsync(TestTimeout.Long);
        Assert.Equal(Count, seen);
        Assert.StartsWith("f", last!.FileName);

        var names = new HashSet<string>();
        await foreach (SftpName name in Client.ListDirectoryAsync(dir).WithCancellation(new CancellationTokenSource(TestTimeout.Long).Token))
        {
            Assert.True(name.Attributes.IsRegularFile);
            names.Add(name.FileName);
        }

        Assert.Equal(Count, names.Count);

        // Taking a few ends the listing early and closes the handle; the session goes on.
        IList<SftpName> few = await Client.ListDirectory(dir).Take(3).ToList().ToTask().WaitAsync(TestTimeout.Default);
        Assert.Equal(3, few.Count);
        await using SftpDirectory handle = await Client.OpenDirectoryAsync(dir).WithTimeout();
        Assert.NotNull(await handle.ReadAsync().WithTimeout());
    }

    [Fact]
    public async Task Makedirs_rmtree_and_glob()
    {
        string dir = fixture.NewDirectory();
        await Client.MakeDirectoriesAsync(dir + "/a/b/c").WithTimeout();
        await Client.MakeDirectoriesAsync(dir + "/a/b/c").WithTimeout();
        await File.WriteAllTextAsync(dir + "/a/x.log", "1");
        await File.WriteAllTextAsync(dir + "/a/b/y.log", "2");
        await File.WriteAllTextAsync(dir + "/a/b/c/z.log", "3");
        await File.WriteAllTextAsync(dir + "/a/b/c/z.txt", "4");
        await File.WriteAllTextAsync(dir + "/a/b/.hidden.log", "5");
        File.CreateSymbolicLink(dir + "/a/b/c/link", "/");

        Assert.Equal([dir + "/a/b/c/z.log", dir + "/a/b/y.log", dir + "/a/x.log"], (await Glob(dir + "/**/*.log")).Order(StringComparer.Ordinal));
        Assert.Equal([dir + "/a/b/c/z.log", dir + "/a/b/c/z.txt"], (await Glob(dir + "/a/?/[c-d]/z.*")).Order(StringComparer.Ordinal));
        Assert.Equal([dir + "/a/b/c/z.txt"], await Glob(dir + "/a/b/c/[!l]*.t?t"));
        Assert.Equal([dir + "/a/x.log"], await Glob(dir + "/a/x.log"));
        Assert.Empty(await Glob(dir + "/a/none*"));
        Assert.Equal([dir + "/a/b/.hidden.log"], await Glob(dir + "/a/b/.*"));

        await Assert.ThrowsAsync<SftpException>(() => Client.MakeDirectoriesAsync(dir + "/a/x.log/d").WithTimeout());
        await Client.RemoveTreeAsync(dir + "/a").WithTimeout();
        Assert.False(Directory.Exists(dir + "/a"));
    }

    private async Task<List<string>> Glob(string pattern) =>
        [.. await Client.Glob(pattern).ToList().ToTask().WaitAsync(TestTimeout.Default)];
}
