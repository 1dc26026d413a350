using System.Security.Cryptography;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Sftp.Server;

/// <summary>
/// OpenSSH's <c>sftp</c> in batch mode against our SFTP subsystem, the commands and flags
/// <see cref="SftpServerInteropTests"/> leaves out: recursive and preserving <c>get -rp</c>/<c>put -rp</c>
/// (nested directories, modes and times), globs (<c>mget</c>, <c>mput</c>,
/// <c>ls</c> and <c>rm</c> with patterns), resume flags (<c>get -a</c>, <c>put -a</c>), <c>ls</c>
/// sort and format flags, <c>lumask</c>, <c>help</c>, <c>bye</c>.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SftpServerInteropMoreCommandsTests : IAsyncLifetime
{
    private static readonly DateTime Mtime = new(2021, 6, 7, 8, 9, 10, DateTimeKind.Utc);
    private readonly string _dir = Directory.CreateTempSubdirectory("rxssh-sftpd2-").FullName;
    private RxSshServerUnderTest _server = null!;

    public async Task InitializeAsync() => _server = await SftpServerInteropTests.StartAsync(new Rx.Ssh.Sftp.Server.SftpServerOptions());

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Sftp_batch_recursive_preserving_globbing_and_resuming_commands_work()
    {
        string local = Directory.CreateDirectory(Path.Combine(_dir, "local")).FullName;
        string remote = Directory.CreateDirectory(Path.Combine(_dir, "remote")).FullName;
        string tree = Directory.CreateDirectory(Path.Combine(local, "tree", "a", "b")).Parent!.Parent!.FullName;
        byte[] deep = RandomNumberGenerator.GetBytes(200_000);
        await File.WriteAllBytesAsync(Path.Combine(tree, "a", "b", "deep.bin"), deep);
        await File.WriteAllTextAsync(Path.Combine(tree, "top.txt"), "top");
        File.SetUnixFileMode(Path.Combine(tree, "top.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetLastWriteTimeUtc(Path.Combine(tree, "top.txt"), Mtime);
        foreach (string name in new[] { "x1.log", "x2.log", "keep.txt" })
        {
            await File.WriteAllTextAsync(Path.Combine(local, name), name);
        }

        byte[] big = RandomNumberGenerator.GetBytes(500_000);
        await File.WriteAllBytesAsync(Path.Combine(local, "big.bin"), big);
        await File.WriteAllBytesAsync(Path.Combine(remote, "big.bin"), big[..1234]);
        await File.WriteAllBytesAsync(Path.Combine(remote, "back.bin"), big);
        await File.WriteAllBytesAsync(Path.Combine(local, "back.bin"), big[..777]);

        ProcessResult result = await OpenSshSftp.BatchAsync(_server.Client(), $"""
            cd {remote}
            lcd {local}
            lumask 022
            put -rp tree
            get -rp tree tree.down
            mput x*.log
            ls -1 *.log
            ls -lt
            ls -lS
            ls -lr
            ls -f
            ls -lh
            mget x1.log got1.log
            rm x*.log
            put -a big.bin
            get -a back.bin
            help
            bye
            """);

        Assert.True(result.ExitCode == 0, result.ToString());
        string up = Path.Combine(remote, "tree");
        Assert.Equal(deep, await File.ReadAllBytesAsync(Path.Combine(up, "a", "b", "deep.bin")));
        Assert.Equal(deep, await File.ReadAllBytesAsync(Path.Combine(local, "tree.down", "a", "b", "deep.bin")));
        foreach (string copy in new[] { up, Path.Combine(local, "tree.down") })
        {
            Assert.Equal("top", await File.ReadAllTextAsync(Path.Combine(copy, "top.txt")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(copy, "top.txt")));
            Assert.Equal(Mtime, File.GetLastWriteTimeUtc(Path.Combine(copy, "top.txt")));
        }

        Assert.Contains("x1.log", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("x2.log", result.StdoutText, StringComparison.Ordinal);
        Assert.Equal("x1.log", await File.ReadAllTextAsync(Path.Combine(local, "got1.log")));
        Assert.False(File.Exists(Path.Combine(remote, "x1.log")));
        Assert.False(File.Exists(Path.Combine(remote, "x2.log")));
        Assert.Equal(big, await File.ReadAllBytesAsync(Path.Combine(remote, "big.bin")));
        Assert.Equal(big, await File.ReadAllBytesAsync(Path.Combine(local, "back.bin")));
    }
}
