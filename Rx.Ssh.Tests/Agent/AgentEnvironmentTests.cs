using Rx.Ssh.Tests.Cli;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Agent;

/// <summary>
/// The agent is used by default from <c>SSH_AUTH_SOCK</c>, as a user sees it: the <c>rxssh</c> tool
/// (which sets no agent option, only the library's defaults) logs in to sshd with an empty HOME (no
/// key files) when the variable names our ssh-agent, and is refused without it. A separate process,
/// so the variable is not set in the test run's own environment.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AgentEnvironmentTests : IAsyncLifetime
{
    private OpenSshAgent _agent = null!;
    private SshdServer _sshd = null!;
    private string _home = null!;

    public async Task InitializeAsync()
    {
        _agent = await OpenSshAgent.StartAsync();
        await _agent.SshAddAsync(TestKeys.Ecdsa256.PrivateKeyPath);
        _sshd = await SshdServer.StartAsync(new SshdOptions { AuthorizedKeys = [TestKeys.Ecdsa256] });
        _home = Directory.CreateTempSubdirectory("rxssh-agent-home-").FullName;
    }

    public async Task DisposeAsync()
    {
        await _sshd.DisposeAsync();
        await _agent.DisposeAsync();
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task SSH_AUTH_SOCK_is_honoured_without_any_option()
    {
        ProcessResult withAgent = await RunAsync(_agent.SocketPath);
        ProcessResult withoutAgent = await RunAsync(null);

        Assert.True(withAgent.ExitCode == 0, withAgent.ToString());
        Assert.Contains("via-agent", withAgent.StdoutText, StringComparison.Ordinal);
        Assert.True(withoutAgent.ExitCode != 0, withoutAgent.ToString());
    }

    private Task<ProcessResult> RunAsync(string? agent) =>
        ProcessRunner.RunAsync(
            ProcessRunner.CreateStartInfo(
                "dotnet",
                [RxsshTool.DllPath, "run", "-H", $"{SshdServer.Host}:{_sshd.Port}", "--known-hosts", _sshd.KnownHostsPath, "echo via-agent"],
                [new("HOME", _home), new("SSH_AUTH_SOCK", agent), new("NO_COLOR", "1")]),
            null,
            null,
            TestTimeout.Long);
}
