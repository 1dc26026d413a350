using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Runtime.Versioning;
using Rx.Ssh.Sftp;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Interop;
using Rx.Ssh.Tests.Sftp;

namespace Rx.Ssh.Tests.Scp;

/// <summary><see cref="ScpClient"/> against OpenSSH's sshd (its <c>scp -t</c>/<c>-f</c>): each direction, remote to remote, recursive, preserve, wildcards, several sources, errors.</summary>
[Collection(SftpSshdCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class ScpClientTests(SftpSshdFixture fixture)
{
    private SshClientConnection Connection => fixture.Connection;

    [Fact]
    public async Task Upload_then_download_keeps_the_content_with_progress_ending_at_the_total()
    {
        string dir = fixture.NewDirectory();
        string source = Path.Combine(dir, "source.bin");
        byte[] hash = SftpTestFiles.WriteRandomFile(source, 5_000_000);
        string remote = Path.Combine(dir, "remote.bin");
        string back = Path.Combine(dir, "back.bin");

        IList<SftpProgress> up = await ScpClient.Copy(source, (Connection, remote)).ToList().ToTask().WaitAsync(TestTimeout.Long);
        SftpProgress down = await ScpClient.Copy((Connection, remote), back).ToTask().WaitAsync(TestTimeout.Long);

        Assert.Equal(hash, SftpTestFiles.Sha256(remote));
        Assert.Equal(hash, SftpTestFiles.Sha256(back));
        Assert.Equal(5_000_000, up[^1].BytesDone);
        Assert.Equal(5_000_000, up[^1].TotalBytes);
        Assert.Equal(1, up[^1].FilesDone);
        Assert.Equal(5_000_000, down.BytesDone);
        Assert.True(up.Zip(up.Skip(1)).All(p => p.First.BytesDone <= p.Second.BytesDone));
    }

    [Fact]
    public async Task Remote_to_remote_streams_through_the_client()
    {
        string dir = fixture.NewDirectory();
        string source = Path.Combine(dir, "a.bin");
        byte[] hash = SftpTestFiles.WriteRandomFile(source, 3_000_000);
        await using SshClientConnection second = await ClientInterop.ConnectAsync(fixture.Server);

        await ScpClient.Copy((Connection, source), (second, Path.Combine(dir, "b.bin"))).ToTask().WaitAsync(TestTimeout.Long);

        Assert.Equal(hash, SftpTestFiles.Sha256(Path.Combine(dir, "b.bin")));
    }

    [Fact]
    public async Task Recursive_preserving_copy_of_a_tree_both_ways()
    {
        string dir = fixture.NewDirectory();
        string tree = Path.Combine(dir, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "sub"));
        await File.WriteAllTextAsync(Path.Combine(tree, "top.txt"), "top");
        await File.WriteAllTextAsync(Path.Combine(tree, "sub", "inner.txt"), "inner");
        var stamp = new DateTime(2010, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(tree, "sub", "inner.txt"), stamp);
        File.SetUnixFileMode(Path.Combine(tree, "top.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var options = new ScpCopyOptions { Recursive = true, Preserve = true };

        await ScpClient.Copy(tree, (Connection, Path.Combine(dir, "up")), options).ToTask().WaitAsync(TestTimeout.Long);
        await ScpClient.Copy((Connection, Path.Combine(dir, "up")), Path.Combine(dir, "down"), options).ToTask().WaitAsync(TestTimeout.Long);

        foreach (string copy in new[] { "up", "down" })
        {
            Assert.Equal("inner", await File.ReadAllTextAsync(Path.Combine(dir, copy, "sub", "inner.txt")));
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(dir, copy, "sub", "inner.txt")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, copy, "top.txt")));
        }
    }

    [Fact]
    public async Task Wildcards_are_resolved_remotely_and_several_sources_go_into_a_directory()
    {
        string dir = fixture.NewDirectory();
        foreach (string name in new[] { "x1.log", "x2.log", "y.txt" })
        {
            await File.WriteAllTextAsync(Path.Combine(dir, name), name);
        }

        string target = Path.Combine(dir, "target");
        Directory.CreateDirectory(target);
        await ScpClient.Copy([(Connection, Path.Combine(dir, "*.log")), (Connection, Path.Combine(dir, "y.txt"))], target).ToTask().WaitAsync(TestTimeout.Long);

        Assert.Equal(["x1.log", "x2.log", "y.txt"], Directory.GetFiles(target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_missing_file_is_reported_with_the_remote_text_and_the_others_are_copied()
    {
        string dir = fixture.NewDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir, "there.txt"), "there");
        string target = Path.Combine(dir, "target");
        Directory.CreateDirectory(target);

        ScpException error = await Assert.ThrowsAsync<ScpException>(() =>
            ScpClient.Copy([(Connection, Path.Combine(dir, "missing.txt")), (Connection, Path.Combine(dir, "there.txt"))], target).ToTask().WaitAsync(TestTimeout.Long));

        Assert.Contains("No such file or directory", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing.txt", error.Errors.Single(), StringComparison.Ordinal);
        Assert.Equal("there", await File.ReadAllTextAsync(Path.Combine(target, "there.txt")));
    }

    [Fact]
    public async Task Permission_denied_on_upload_is_a_typed_error()
    {
        // Tests may run as root, for whom modes are no obstacle; /sys refuses new files to everyone.
        string dir = fixture.NewDirectory();
        string source = Path.Combine(dir, "s.txt");
        await File.WriteAllTextAsync(source, "s");

        ScpException error = await Assert.ThrowsAsync<ScpException>(() => ScpClient.Copy(source, (Connection, "/sys/rxssh-scp-test.txt")).ToTask().WaitAsync(TestTimeout.Long));

        Assert.Contains("Permission denied", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsFatal);
    }

    [Fact]
    public async Task Remote_to_remote_256_MiB_between_two_connections_keeps_sha256()
    {
        string dir = fixture.NewDirectory();
        string source = Path.Combine(dir, "big.bin");
        byte[] hash = SftpTestFiles.WriteRandomFile(source, 256 * 1024 * 1024);
        await using SshClientConnection second = await ClientInterop.ConnectAsync(fixture.Server);

        SftpProgress last = await ScpClient.Copy((Connection, source), (second, Path.Combine(dir, "copy.bin"))).ToTask().WaitAsync(TestTimeout.Long);

        Assert.Equal(256L * 1024 * 1024, last.BytesDone);
        Assert.Equal(hash, SftpTestFiles.Sha256(Path.Combine(dir, "copy.bin")));
    }

    [Fact]
    public async Task Disposing_the_subscription_cancels_the_copy()
    {
        string dir = fixture.NewDirectory();
        string source = Path.Combine(dir, "big.bin");
        SftpTestFiles.WriteRandomFile(source, 64 * 1024 * 1024);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ended = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);

        IDisposable subscription = ScpClient.Copy((Connection, source), Path.Combine(dir, "partial.bin"))
            .Subscribe(_ => started.TrySetResult(), ex => ended.TrySetResult(ex), () => ended.TrySetResult(null));
        await started.Task.WaitAsync(TestTimeout.Default);
        subscription.Dispose();

        // The connection stays usable, and the partial download is not left as if complete.
        SshCompletedProcess echo = await Connection.RunAsync("echo alive").WaitAsync(TestTimeout.Default);
        Assert.Equal("alive\n", echo.Stdout);
        await WaitUntilAsync(() => !File.Exists(Path.Combine(dir, "partial.bin")));
        Assert.False(ended.Task.IsCompleted);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TestTimeout.Default);
        while (!condition())
        {
            await Task.Delay(20, deadline.Token);
        }
    }

    [Fact]
    public void Paths_parse_in_asyncssh_forms()
    {
        ScpPath remote = "alice@example.org:dir/f.txt";
        Assert.Equal(("alice", "example.org", "dir/f.txt"), (remote.UserName, remote.Host, remote.Path));
        ScpPath host = "example.org:";
        Assert.Equal(("example.org", ""), (host.Host, host.Path));
        ScpPath local = "./a:b";
        Assert.False(local.IsRemote);
        ScpPath v6 = "[::1]:x";
        Assert.Equal(("::1", "x"), (v6.Host, v6.Path));
    }
}
