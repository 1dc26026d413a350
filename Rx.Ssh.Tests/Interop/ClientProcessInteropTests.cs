using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// Interactive client processes against OpenSSH's sshd. (Signals are covered against the Rx.Ssh
/// server: the test sshd runs in debug mode without privilege separation, where sshd refuses
/// "signal" requests.)
/// </summary>
[Collection(SshdCollection.Name)]
public sealed class ClientProcessInteropTests
{
    private readonly SshdServer _server;

    public ClientProcessInteropTests(SshdFixture fixture) => _server = fixture.Server;

    [Fact]
    public async Task Bc_answers_each_expression_as_it_is_written()
    {
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        await using SshClientProcess bc = await conn.CreateProcessAsync("bc -q").WaitAsync(TestTimeout.Default);
        foreach ((string expression, string answer) in new[] { ("2+2", "4"), ("1*2*3*4", "24"), ("2^32", "4294967296") })
        {
            await bc.Stdin.WriteLineAsync(expression);
            Assert.Equal(answer, await bc.Stdout.ReadLineAsync().AsTask().WaitAsync(TestTimeout.Default));
        }

        await bc.Stdin.CloseAsync();
        Assert.True((await bc.WaitForExitAsync().WaitAsync(TestTimeout.Default)).Succeeded);
    }

    [Fact]
    public async Task A_command_writing_64_MiB_to_stderr_that_nobody_reads_exits()
    {
        // Issue 11: stdout and stderr share the window; an unread stderr must not freeze the command.
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        await using SshClientProcess noisy = await conn.CreateProcessAsync("head -c 67108864 /dev/zero >&2; echo done").WaitAsync(TestTimeout.Default);

        SshProcessExit exit = await noisy.WaitForExitAsync().WaitAsync(TestTimeout.Long);

        Assert.True(exit.Succeeded);
        Assert.Equal("done\n", await noisy.Stdout.ReadToEndAsync().WaitAsync(TestTimeout.Default));
    }
}
