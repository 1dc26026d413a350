using Rx.Ssh.Samples;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Samples;

namespace Rx.Ssh.Tests.Sftp;

/// <summary>
/// The sftp_client sample as samples.md says: downloads <c>example.txt</c> from the server's
/// starting directory (sshd's sftp-server started with <c>-d</c>, standing in for the home) to the
/// local current directory; a failure is <c>SFTP operation failed: MESSAGE</c> on stderr and exit 1.
/// </summary>
public sealed class SftpClientSampleTests : IAsyncLifetime
{
    private readonly string _remote = Directory.CreateTempSubdirectory("rxsftp-home-").FullName;
    private readonly string _local = Directory.CreateTempSubdirectory("rxsftp-cwd-").FullName;
    private SshdServer? _server;

    public async Task InitializeAsync() =>
        _server = await SshdServer.StartAsync(new SshdOptions { SftpSubsystem = $"{SshdOptions.SftpServerPath} -d {_remote}" });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_remote, recursive: true);
        Directory.Delete(_local, recursive: true);
    }

    [Fact]
    public void IsListed() => Assert.NotNull(SampleCatalog.Find("sftp_client"));

    [Fact]
    public async Task Downloads_example_txt_into_the_current_directory()
    {
        await File.WriteAllTextAsync(Path.Combine(_remote, "example.txt"), "An example file.\n");

        ClientSampleRun run = await ClientSampleRun.RunAsync("sftp_client", Context());

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(string.Empty, run.Out);
        Assert.Equal(string.Empty, run.Error);
        Assert.Equal("An example file.\n", await File.ReadAllTextAsync(Path.Combine(_local, "example.txt")));
    }

    [Fact]
    public async Task A_missing_file_is_reported_on_stderr_with_exit_1()
    {
        ClientSampleRun run = await ClientSampleRun.RunAsync("sftp_client", Context());

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("SFTP operation failed: No such file\n", run.Error);
        Assert.False(File.Exists(Path.Combine(_local, "example.txt")));
    }

    private SampleContext Context() =>
        ClientSampleRun.Context(_server!.Port, _server.KnownHostsPath, TestKeys.Ed25519.PrivateKeyPath) with { WorkingDirectory = _local };
}
