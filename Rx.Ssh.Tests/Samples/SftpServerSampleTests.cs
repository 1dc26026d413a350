using Rx.Ssh.Samples;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Sftp.Server;

namespace Rx.Ssh.Tests.Samples;

/// <summary>
/// The SFTP server samples of samples.md (simple_sftp_server, chroot_sftp_server) and serve's
/// SFTP, run in-process on a loopback port and driven by OpenSSH's sftp and scp.
/// </summary>
public sealed class SftpServerSampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rxssh-sftpsample-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Both_sftp_server_samples_are_listed()
    {
        Assert.NotNull(SampleCatalog.Find("simple_sftp_server"));
        Assert.NotNull(SampleCatalog.Find("chroot_sftp_server"));
    }

    [Fact]
    public async Task Simple_sftp_server_serves_the_whole_file_system()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "remote.txt"), "from the server\n");
        await File.WriteAllTextAsync(Path.Combine(_dir, "local.txt"), "from the client\n");
        await using SampleServer server = await SampleServer.StartAsync("simple_sftp_server");

        ProcessResult result = await OpenSshSftp.BatchAsync(server.Ssh(), $"""
            cd {_dir}
            lcd {_dir}
            get remote.txt fetched.txt
            put local.txt sent.txt
            ls
            """);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("from the server\n", await File.ReadAllTextAsync(Path.Combine(_dir, "fetched.txt")));
        Assert.Equal("from the client\n", await File.ReadAllTextAsync(Path.Combine(_dir, "sent.txt")));

        // No shell: the sample serves SFTP only.
        Assert.NotEqual(0, (await server.Ssh().RunAsync("true")).ExitCode);
    }

    [Fact]
    public async Task Chroot_sftp_server_confines_each_user_to_a_directory_made_for_them()
    {
        string top = Path.Combine(_dir, "sftp");
        await File.WriteAllTextAsync(Path.Combine(_dir, "local.txt"), "mine\n");
        await File.WriteAllTextAsync(Path.Combine(_dir, "secret.txt"), "not alice's\n");
        await using SampleServer server = await SampleServer.StartAsync("chroot_sftp_server", configure: c => c with { Root = top });

        ProcessResult result = await OpenSshSftp.BatchAsync(server.Ssh("alice"), $"""
            pwd
            lcd {_dir}
            put local.txt
            -get ../../secret.txt escaped.txt
            -get {_dir}/secret.txt escaped2.txt
            -put local.txt ../bob-planted.txt
            mkdir sub
            ls
            """);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Remote working directory: /", result.StdoutText, StringComparison.Ordinal);
        Assert.Equal("mine\n", await File.ReadAllTextAsync(Path.Combine(top, "alice", "local.txt")));
        Assert.True(Directory.Exists(Path.Combine(top, "alice", "sub")));
        Assert.False(File.Exists(Path.Combine(_dir, "escaped.txt")) || File.Exists(Path.Combine(_dir, "escaped2.txt")));
        Assert.Equal(["alice"], Directory.GetFileSystemEntries(top).Select(Path.GetFileName));
        // "../bob-planted.txt" is clamped at alice's root: it lands in her directory, not beside it.
        Assert.Equal(["bob-planted.txt", "local.txt", "sub"], Directory.GetFileSystemEntries(Path.Combine(top, "alice")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Serve_runs_every_sftp_batch_command()
    {
        await using ServeUnderTest serve = await ServeUnderTest.StartAsync();
        await SftpServerInteropTests.RunEveryCommandAsync(serve.Ssh, _dir);
    }

    [Fact]
    public async Task Serve_serves_sftp_and_scp()
    {
        await using ServeUnderTest serve = await ServeUnderTest.StartAsync();
        string source = Path.Combine(_dir, "source.bin");
        byte[] content = System.Security.Cryptography.RandomNumberGenerator.GetBytes(1_000_000);
        await File.WriteAllBytesAsync(source, content);

        ProcessResult up = await OpenSshSftp.ScpAsync(serve.Ssh, null, source, "REMOTE:" + Path.Combine(_dir, "up.bin"));
        Assert.True(up.ExitCode == 0, up.ToString());
        ProcessResult listing = await OpenSshSftp.BatchAsync(serve.Ssh, $"""
            cd {_dir}
            ls -l
            rename up.bin renamed.bin
            """);

        Assert.True(listing.ExitCode == 0, listing.ToString());
        Assert.Contains("up.bin", listing.StdoutText, StringComparison.Ordinal);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(_dir, "renamed.bin")));
    }
}
