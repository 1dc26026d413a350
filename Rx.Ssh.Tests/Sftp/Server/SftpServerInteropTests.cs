using System.Security.Cryptography;
using Rx.Ssh.Sftp.Server;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Sftp.Server;

/// <summary>OpenSSH's <c>sftp</c> (batch mode, every command it has) and <c>scp</c> against our SFTP subsystem.</summary>
public sealed class SftpServerInteropTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rxssh-sftpd-").FullName;
    private RxSshServerUnderTest _server = null!;

    public async Task InitializeAsync() => _server = await StartAsync(new SftpServerOptions());

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public Task Sftp_batch_runs_every_command() => RunEveryCommandAsync(_server.Client(), _dir);

    /// <summary>
    /// Runs OpenSSH's <c>sftp -b</c> with every command it has (transfers, resume, listings, links,
    /// modes and owners, df, local commands, version, copy) in <paramref name="dir"/> (an absolute
    /// path the server sees as it is), and checks what each did.
    /// </summary>
    internal static async Task RunEveryCommandAsync(OpenSshClient client, string dir)
    {
        string local = Path.Combine(dir, "local");
        string remote = Path.Combine(dir, "remote");
        Directory.CreateDirectory(local);
        Directory.CreateDirectory(remote);
        byte[] content = RandomNumberGenerator.GetBytes(300_000);
        await File.WriteAllBytesAsync(Path.Combine(local, "up.bin"), content);
        await File.WriteAllTextAsync(Path.Combine(remote, "down.txt"), "downloaded\n");
        await File.WriteAllTextAsync(Path.Combine(local, "partial.txt"), "down");
        await File.WriteAllBytesAsync(Path.Combine(remote, "resumed.bin"), content[..1000]);

        ProcessResult result = await OpenSshSftp.BatchAsync(client, $"""
            cd {remote}
            pwd
            lcd {local}
            lpwd
            put up.bin
            get down.txt
            ls -l
            ls -la
            ls -n
            mkdir sub
            put up.bin sub/copy.bin
            rename sub/copy.bin sub/moved.bin
            ln -s moved.bin sub/link
            ln sub/moved.bin hard.bin
            chmod 640 up.bin
            chgrp 0 up.bin
            chown 0 up.bin
            df -h
            df -i
            reget down.txt partial.txt
            reput up.bin resumed.bin
            progress
            lls
            lmkdir newlocal
            version
            symlink up.bin sym2
            cp up.bin copied.bin
            chmod -h 600 copied.bin
            put -f up.bin synced.bin
            rm sym2
            rm sub/link
            rm sub/moved.bin
            rmdir sub
            -rm nosuchfile
            -cd /nonexistent-dir-for-test
            """);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(remote, "up.bin")));
        Assert.Equal("downloaded\n", await File.ReadAllTextAsync(Path.Combine(local, "down.txt")));
        Assert.True(File.Exists(Path.Combine(remote, "hard.bin")));
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(remote, "copied.bin")));
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(remote, "synced.bin")));
        Assert.Equal("downloaded\n", await File.ReadAllTextAsync(Path.Combine(local, "partial.txt")));
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(remote, "resumed.bin")));
        Assert.False(Directory.Exists(Path.Combine(remote, "sub")));
        Assert.Equal(0x1A0u, (await new LocalFileSystem().GetAttributesAsync(Path.Combine(remote, "up.bin"), followLinks: true, default)).Permissions & 0xFFF);
        Assert.Contains("up.bin", result.StdoutText, StringComparison.Ordinal);
        Assert.Contains("SFTP protocol version 3", result.StdoutText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scp_copies_both_ways_with_equal_sha256_on_64_MiB()
    {
        string source = Path.Combine(_dir, "big.bin");
        await using (FileStream f = File.Create(source))
        {
            await new GeneratedStream(64L * 1024 * 1024).CopyToAsync(f);
        }

        string uploaded = Path.Combine(_dir, "uploaded.bin");
        string downloaded = Path.Combine(_dir, "downloaded.bin");
        ProcessResult up = await OpenSshSftp.ScpAsync(_server.Client(), TestTimeout.Long, source, "REMOTE:" + uploaded);
        Assert.True(up.ExitCode == 0, up.ToString());
        ProcessResult down = await OpenSshSftp.ScpAsync(_server.Client(), TestTimeout.Long, "-p", "REMOTE:" + uploaded, downloaded);
        Assert.True(down.ExitCode == 0, down.ToString());

        byte[] expected = await HashAsync(source);
        Assert.Equal(expected, await HashAsync(uploaded));
        Assert.Equal(expected, await HashAsync(downloaded));
    }

    private static async Task<byte[]> HashAsync(string path)
    {
        await using FileStream f = File.OpenRead(path);
        return await SHA256.HashDataAsync(f);
    }

    internal static Task<RxSshServerUnderTest> StartAsync(SftpServerOptions options) => RxSshServerUnderTest.StartAsync(new SshServerOptions
    {
        Subsystems = new Dictionary<string, SshSubsystemHandler> { [SftpSubsystem.Name] = SftpSubsystem.Create(options) },
    });
}
