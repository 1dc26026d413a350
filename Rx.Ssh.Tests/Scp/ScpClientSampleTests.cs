using Rx.Ssh.Samples;
using Rx.Ssh.Sftp.Server;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Samples;

namespace Rx.Ssh.Tests.Scp;

/// <summary>
/// The scp_client sample as samples.md says: copies <c>HOST:example.txt</c> (the server's starting
/// directory, here our SCP server rooted at a temporary directory) to the current directory; a
/// failure (sshd's own scp for a missing file) is <c>SFTP operation failed: MESSAGE</c> on stderr, exit 1.
/// </summary>
public sealed class ScpClientSampleTests : IDisposable
{
    private readonly string _remote = Directory.CreateTempSubdirectory("rxscp-home-").FullName;
    private readonly string _local = Directory.CreateTempSubdirectory("rxscp-cwd-").FullName;

    public void Dispose()
    {
        Directory.Delete(_remote, recursive: true);
        Directory.Delete(_local, recursive: true);
    }

    [Fact]
    public void IsListed() => Assert.NotNull(SampleCatalog.Find("scp_client"));

    [Fact]
    public async Task Copies_example_txt_into_the_current_directory()
    {
        await File.WriteAllTextAsync(Path.Combine(_remote, "example.txt"), "An example file.\n");
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(new SshServerOptions
        {
            ProcessHandler = ScpServer.CreateProcessHandler(_ => new LocalFileSystem(_remote)),
        });

        ClientSampleRun run = await ClientSampleRun.RunAsync("scp_client", ClientSampleRun.Context(server.Port, server.KnownHostsPath, TestKeys.Ed25519.PrivateKeyPath, RxSshServerUnderTest.UserName) with { WorkingDirectory = _local });

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(string.Empty, run.Out);
        Assert.Equal(string.Empty, run.Error);
        Assert.Equal("An example file.\n", await File.ReadAllTextAsync(Path.Combine(_local, "example.txt")));
    }

    [Fact]
    public async Task A_missing_file_on_sshd_is_reported_on_stderr_with_exit_1()
    {
        await using SshdServer sshd = await SshdServer.StartAsync(new SshdOptions());
        ClientSampleRun run = await ClientSampleRun.RunAsync("scp_client", ClientSampleRun.Context(sshd.Port, sshd.KnownHostsPath, TestKeys.Ed25519.PrivateKeyPath) with { WorkingDirectory = _local });

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("SFTP operation failed: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("example.txt: No such file or directory", run.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_local));
    }
}
