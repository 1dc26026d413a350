using System.Diagnostics;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using Rx.Ssh.Sftp;
using Rx.Ssh.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Rx.Ssh.Tests.Sftp;

/// <summary>Pipelined transfers of <see cref="SftpClient"/> against OpenSSH's sftp-server: integrity (64 and 256 MiB, sha256), progress, cancellation, resume, trees.</summary>
[Collection(SftpSshdCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class SftpClientTransferTests(SftpSshdFixture fixture, ITestOutputHelper output)
{
    private const int LargeSize = 64 * 1024 * 1024;

    private SftpClient Client => fixture.Client;

    [Fact]
    public async Task Put_then_get_64_MiB_keeps_sha256_with_monotonic_progress_ending_at_the_total()
    {
        string dir = fixture.NewDirectory();
        string source = Path.Combine(dir, "source.bin");
        byte[] hash = SftpTestFiles.WriteRandomFile(source, LargeSize + 12345);
        string remote = Path.Combine(dir, "remote.bin");
        string back = Path.Combine(dir, "back.bin");

        var clock = Stopwatch.StartNew();
        IList<SftpProgress> put = await Client.Put(source, remote).ToList().ToTask().WaitAsync(TestTimeout.Long);
        TimeSpan putTime = clock.Elapsed;
        clock.Restart();
        IList<SftpProgress> get = await Client.Get(remote, back).ToList().ToTask().WaitAsync(TestTimeout.Long);
        TimeSpan getTime = clock.Elapsed;
        output.WriteLine($"put {LargeSize / 1048576.0 / putTime.TotalSeconds:F0} MiB/s, get {LargeSize / 1048576.0 / getTime.TotalSeconds:F0} MiB/s");

        Assert.Equal(hash, SftpTestFiles.Sha256(remote));
        Assert.Equal(hash, SftpTestFiles.Sha256(back));
        foreach (IList<SftpProgress> events in new[] { put, get })
        {
            Assert.True(events.Count > 10);
            for (int i = 1; i < events.Count; i++)
            {
                Assert.True(events[i].BytesDone >= events[i - 1].BytesDone);
                Assert.True(events[i].Elapsed >= events[i - 1].Elapsed);
            }

            SftpProgress last = events[^1];
            Assert.Equal(LargeSize + 12345, last.BytesDone);
            Assert.Equal(last.TotalBytes, last.BytesDone);
            Assert.Equal((1, 1), (last.FilesDone, last.TotalFiles));
            Assert.Equal(remote, last.CurrentFile);
            Assert.True(last.BytesPerSecond > 0);
        }

        // Awaiting the observable gives the final progress.
        SftpProgress final = await Client.Get(remote, back);
        Assert.Equal(LargeSize + 12345, final.BytesDone);
    }

    [Fact]
    public async Task Put_then_get_256_MiB_keeps_sha256()
    {
        const int HugeSize = 256 * 1024 * 1024;
        string dir = fixture.NewDirectory();
        string source = Path.Combine(dir, "source.bin");
        byte[] hash = SftpTestFiles.WriteRandomFile(source, HugeSize);
        string remote = Path.Combine(dir, "remote.bin");
        string back = Path.Combine(dir, "back.bin");
        TimeSpan deadline = TimeSpan.FromMinutes(3);

        var clock = Stopwatch.StartNew();
        SftpProgress put = await Client.PutAsync(source, remote).WaitAsync(deadline);
        TimeSpan putTime = clock.Elapsed;
        File.Delete(source);
        Assert.Equal(hash, SftpTestFiles.Sha256(remote));
        clock.Restart();
        SftpProgress get = await Client.GetAsync(remote, back).WaitAsync(deadline);
        output.WriteLine($"256 MiB: put {256 / putTime.TotalSeconds:F0} MiB/s, get {256 / clock.Elapsed.TotalSeconds:F0} MiB/s");

        Assert.Equal((HugeSize, HugeSize), (put.BytesDone, put.TotalBytes));
        Assert.Equal((HugeSize, HugeSize), (get.BytesDone, get.TotalBytes));
        Assert.Equal(hash, SftpTestFiles.Sha256(back));
        File.Delete(remote);
        File.Delete(back);
    }

    [Fact]
    public async Task Small_blocks_and_empty_files_transfer_too()
    {
        string dir = fixture.NewDirectory();
        string empty = Path.Combine(dir, "empty");
        File.WriteAllBytes(empty, []);
        SftpProgress put = await Client.PutAsync(empty, Path.Combine(dir, "empty.up")).WithTimeout();
        Assert.Equal((0L, 0L, 1), (put.BytesDone, put.TotalBytes, put.FilesDone));
        Assert.Empty(File.ReadAllBytes(Path.Combine(dir, "empty.up")));

        string source = Path.Combine(dir, "s");
        byte[] hash = SftpTestFiles.WriteRandomFile(source, 1_000_003);
        var small = new SftpTransferOptions { BlockSize = 4096, MaxRequestsInFlight = 3 };
        await Client.PutAsync(source, Path.Combine(dir, "s.up"), small).WithTimeout();
        await Client.GetAsync(Path.Combine(dir, "s.up"), Path.Combine(dir, "s.down"), small).WithTimeout();
        Assert.Equal(hash, SftpTestFiles.Sha256(Path.Combine(dir, "s.down")));

        // A directory destination takes the source's name.
        string into = fixture.NewDirectory();
        await Client.GetAsync(source, into).WithTimeout();
        Assert.Equal(hash, SftpTestFiles.Sha256(Path.Combine(into, "s")));
    }

    [Fact]
    public async Task Cancelling_a_download_closes_the_remote_file_and_keeps_a_prefix_that_resume_completes()
    {
        string dir = fixture.NewDirectory();
        string remote = Path.Combine(dir, "big.bin");
        byte[] hash = SftpTestFiles.WriteRandomFile(remote, LargeSize);
        string local = Path.Combine(dir, "partial.bin");

        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.BytesDone > 0)
            {
                cancel.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client.GetAsync(remote, local, progress: progress, cancellationToken: cancel.Token).WithTimeout(TestTimeout.Long));

        Assert.Empty(SftpTestFiles.ProcessesWithOpen(remote));
        long kept = new FileInfo(local).Length;
        Assert.InRange(kept, 1, LargeSize - 1);
        Assert.Equal(File.ReadAllBytes(remote).AsSpan(0, (int)kept).ToArray(), File.ReadAllBytes(local));

        SftpProgress resumed = await Client.GetAsync(remote, local, new SftpTransferOptions { Resume = true }).WithTimeout(TestTimeout.Long);
        Assert.Equal(kept, resumed.ResumedBytes);
        Assert.Equal(LargeSize, resumed.BytesDone);
        Assert.Equal(hash, SftpTestFiles.Sha256(local));
    }

    [Fact]
    public async Task Disposing_a_transfer_subscription_stops_it_and_the_session_goes_on()
    {
        string dir = fixture.NewDirectory();
        string remote = Path.Combine(dir, "big.bin");
        SftpTestFiles.WriteRandomFile(remote, LargeSize);
        var first = new TaskCompletionSource<SftpProgress>(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IDisposable subscription = Client.Get(remote, Path.Combine(dir, "local.bin")).Finally(ended.SetResult).Subscribe(p => first.TrySetResult(p));
        await first.Task.WaitAsync(TestTimeout.Long);
        subscription.Dispose();
        await ended.Task.WaitAsync(TestTimeout.Default);

        Assert.True(await Client.IsFileAsync(remote).WithTimeout());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Cancelling_an_upload_truncates_to_the_acknowledged_prefix_and_resume_completes(int channels)
    {
        // With four channels the writes are acknowledged out of order on four handles, and each handle must be closed.
        var options = new SftpTransferOptions { UploadChannels = channels };
        string dir = fixture.NewDirectory();
        string source = Path.Combine(dir, "source.bin");
        byte[] hash = SftpTestFiles.WriteRandomFile(source, LargeSize);
        string remote = Path.Combine(dir, "up.bin");

        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress(p =>
        {
            if (p.BytesDone >= 4 * 1024 * 1024)
            {
                cancel.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client.PutAsync(source, remote, options, progress, cancel.Token).WithTimeout(TestTimeout.Long));

        Assert.Empty(SftpTestFiles.ProcessesWithOpen(remote));
        long kept = new FileInfo(remote).Length;
        Assert.InRange(kept, 4 * 1024 * 1024, LargeSize - 1);
        Assert.Equal(File.ReadAllBytes(source).AsSpan(0, (int)kept).ToArray(), File.ReadAllBytes(remote));

        SftpProgress resumed = await Client.PutAsync(source, remote, options with { Resume = true }).WithTimeout(TestTimeout.Long);
        Assert.Equal(kept, resumed.ResumedBytes);
        Assert.Equal(hash, SftpTestFiles.Sha256(remote));
    }

    [Fact]
    public async Task Recursive_put_and_get_keep_the_tree_symlinks_permissions_and_times()
    {
        string dir = fixture.NewDirectory();
        string tree = Path.Combine(dir, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "a", "b"));
        Directory.CreateDirectory(Path.Combine(tree, "empty"));
        File.WriteAllText(Path.Combine(tree, "top.txt"), "top");
        File.WriteAllText(Path.Combine(tree, "a", "mid.txt"), "mid");
        SftpTestFiles.WriteRandomFile(Path.Combine(tree, "a", "b", "deep.bin"), 300_000);
        File.CreateSymbolicLink(Path.Combine(tree, "a", "link"), "mid.txt");
        File.SetUnixFileMode(Path.Combine(tree, "top.txt"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var mtime = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(tree, "a", "mid.txt"), mtime);
        Directory.SetLastWriteTimeUtc(Path.Combine(tree, "a"), mtime);

        var options = new SftpTransferOptions { Recursive = true, Preserve = true };
        SftpProgress up = await Client.PutAsync(tree, Path.Combine(dir, "up"), options).WithTimeout(TestTimeout.Long);
        Assert.Equal((3, 3), (up.FilesDone, up.TotalFiles));
        Assert.Equal(300_006, up.BytesDone);
        SftpProgress down = await Client.GetAsync(Path.Combine(dir, "up"), Path.Combine(dir, "down"), options).WithTimeout(TestTimeout.Long);
        Assert.Equal(up.BytesDone, down.TotalBytes);

        foreach (string copy in new[] { Path.Combine(dir, "up"), Path.Combine(dir, "down") })
        {
            Assert.Equal("top", File.ReadAllText(Path.Combine(copy, "top.txt")));
            Assert.Equal(SftpTestFiles.Sha256(Path.Combine(tree, "a", "b", "deep.bin")), SftpTestFiles.Sha256(Path.Combine(copy, "a", "b", "deep.bin")));
            Assert.True(Directory.Exists(Path.Combine(copy, "empty")));
            Assert.Equal("mid.txt", new FileInfo(Path.Combine(copy, "a", "link")).LinkTarget);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(copy, "top.txt")));
            Assert.Equal(mtime, File.GetLastWriteTimeUtc(Path.Combine(copy, "a", "mid.txt")));
            Assert.Equal(mtime, Directory.GetLastWriteTimeUtc(Path.Combine(copy, "a")));
        }
    }

    [Fact]
    public async Task Many_small_files_transfer_recursively_several_at_a_time_with_serialized_progress()
    {
        string dir = fixture.NewDirectory();
        string tree = Path.Combine(dir, "many");
        var hashes = new Dictionary<string, byte[]>();
        for (int i = 0; i < 300; i++)
        {
            string sub = Path.Combine(tree, $"d{i % 5}");
            Directory.CreateDirectory(sub);
            hashes[Path.Combine($"d{i % 5}", $"f{i}")] = SftpTestFiles.WriteRandomFile(Path.Combine(sub, $"f{i}"), 16 * 1024);
        }

        var clock = Stopwatch.StartNew();
        IList<SftpProgress> up = await Client.Put(tree, Path.Combine(dir, "up"), new SftpTransferOptions { Recursive = true }).ToList().ToTask().WaitAsync(TestTimeout.Long);
        TimeSpan putTime = clock.Elapsed;
        clock.Restart();
        IList<SftpProgress> down = await Client.Get(Path.Combine(dir, "up"), Path.Combine(dir, "down"), new SftpTransferOptions { Recursive = true }).ToList().ToTask().WaitAsync(TestTimeout.Long);
        output.WriteLine($"300 x 16 KiB: put {putTime.TotalMilliseconds:F0} ms, get {clock.Elapsed.TotalMilliseconds:F0} ms");

        foreach (IList<SftpProgress> events in new[] { up, down })
        {
            for (int i = 1; i < events.Count; i++)
            {
                Assert.True(events[i].BytesDone >= events[i - 1].BytesDone);
                Assert.True(events[i].FilesDone >= events[i - 1].FilesDone);
            }

            Assert.Equal((300, 300, 300L * 16 * 1024), (events[^1].FilesDone, events[^1].TotalFiles, events[^1].BytesDone));
            Assert.Equal(events[^1].TotalBytes, events[^1].BytesDone);
            Assert.All(events, e => Assert.Equal(300L * 16 * 1024, e.TotalBytes));
        }

        foreach ((string name, byte[] hash) in hashes)
        {
            Assert.Equal(hash, SftpTestFiles.Sha256(Path.Combine(dir, "down", name)));
        }
    }

    [Fact]
    public async Task Multi_file_forms_take_globs_and_count_every_file_in_one_progress()
    {
        string dir = fixture.NewDirectory();
        string remote = Directory.CreateDirectory(Path.Combine(dir, "remote")).FullName;
        File.WriteAllText(Path.Combine(remote, "a.txt"), "aa");
        File.WriteAllText(Path.Combine(remote, "b.txt"), "bbb");
        File.WriteAllText(Path.Combine(remote, "c.log"), "c");
        Directory.CreateDirectory(Path.Combine(remote, "sub"));
        File.WriteAllText(Path.Combine(remote, "sub", "d.txt"), "dddd");
        string local = Directory.CreateDirectory(Path.Combine(dir, "local")).FullName;

        SftpProgress got = await Client.Get([remote + "/*.txt", remote + "/sub"], local, new SftpTransferOptions { Recursive = true }).ToTask().WaitAsync(TestTimeout.Default);
        Assert.Equal((3, 3, 9L), (got.FilesDone, got.TotalFiles, got.BytesDone));
        Assert.Equal(["a.txt", "b.txt", "sub"], Directory.GetFileSystemEntries(local).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("dddd", File.ReadAllText(Path.Combine(local, "sub", "d.txt")));
        await Assert.ThrowsAsync<SftpException>(() => Client.Get([remote + "/sub"], local).ToTask().WaitAsync(TestTimeout.Default));

        string back = Directory.CreateDirectory(Path.Combine(dir, "back")).FullName;
        SftpProgress put = await Client.Put([Path.Combine(local, "a.txt"), Path.Combine(local, "sub")], back, new SftpTransferOptions { Recursive = true }).ToTask().WaitAsync(TestTimeout.Default);
        Assert.Equal((2, 6L), (put.FilesDone, put.BytesDone));
        Assert.Equal("aa", File.ReadAllText(Path.Combine(back, "a.txt")));
        Assert.Equal("dddd", File.ReadAllText(Path.Combine(back, "sub", "d.txt")));
    }

    [Fact]
    public async Task Transfer_errors_are_SftpExceptions()
    {
        string dir = fixture.NewDirectory();
        SftpException missing = await Assert.ThrowsAsync<SftpException>(() => Client.Get(Path.Combine(dir, "nope"), Path.Combine(dir, "x")).ToTask().WaitAsync(TestTimeout.Default));
        Assert.Equal(SftpStatusCode.NoSuchFile, missing.Code);
        await Assert.ThrowsAsync<SftpException>(() => Client.GetAsync(dir, Path.Combine(dir, "x")).WithTimeout());
        File.WriteAllText(Path.Combine(dir, "f"), "f");
        SftpException denied = await Assert.ThrowsAsync<SftpException>(() => Client.PutAsync(Path.Combine(dir, "f"), "/sys/kernel/notes").WithTimeout());
        Assert.Equal(SftpStatusCode.PermissionDenied, denied.Code);
    }
}
