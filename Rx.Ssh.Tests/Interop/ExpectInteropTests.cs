using System.Text.RegularExpressions;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Interop;

/// <summary>The expect surface against a real login shell on OpenSSH's sshd, with a pty.</summary>
[Collection(SshdCollection.Name)]
public sealed class ExpectInteropTests
{
    private readonly SshdServer _server;

    public ExpectInteropTests(SshdFixture fixture) => _server = fixture.Server;

    [Fact]
    public async Task A_shell_with_a_known_prompt_runs_a_command_and_its_output_comes_before_the_next_prompt()
    {
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        await using SshClientProcess shell = await conn.CreateProcessAsync(null, new SshProcessOptions { Terminal = new SshTerminal() }).WaitAsync(TestTimeout.Default);

        // The quotes keep the echoed command line from containing the prompt itself.
        await shell.SendLineAsync("PS1='RX''P> '; export PS1");
        await shell.ExpectAsync("RXP> ", TestTimeout.Default).WaitAsync(TestTimeout.Long);

        await shell.SendLineAsync("echo hel''lo-$((6*7))");
        SshExpectMatch output = await shell.ExpectAsync(new Regex(@"RXP> $"), TestTimeout.Default).WaitAsync(TestTimeout.Long);
        Assert.Contains("hello-42\r\n", output.Before, StringComparison.Ordinal);

        SshExpectTimeoutException timeout = await Assert.ThrowsAsync<SshExpectTimeoutException>(() => shell.ExpectAsync("never-printed", TimeSpan.FromMilliseconds(300)));
        Assert.NotNull(timeout.Received);

        await shell.SendLineAsync("exit");
        await shell.WaitForExitAsync().WaitAsync(TestTimeout.Default);
    }
}
