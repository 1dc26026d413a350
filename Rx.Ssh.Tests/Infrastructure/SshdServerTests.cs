using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>OpenSSH's own <c>ssh</c> against the shared harness sshd: proves the harness before our client uses it.</summary>
[Collection(SshdCollection.Name)]
public sealed class SshdServerTests(SshdFixture fixture)
{
    private readonly SshdServer _server = fixture.Server;

    [Theory]
    [InlineData(TestKeyType.Ed25519)]
    [InlineData(TestKeyType.Ecdsa256)]
    [InlineData(TestKeyType.Ecdsa384)]
    [InlineData(TestKeyType.Ecdsa521)]
    [InlineData(TestKeyType.Rsa2048)]
    public async Task Each_user_key_type_logs_in_and_runs_a_command(TestKeyType type)
    {
        TestKey key = TestKeys.Get(type);

        ProcessResult result = await OpenSshClient.For(_server, key).RunAsync("echo hello");

        Assert.True(result.ExitCode == 0, Describe(result));
        Assert.Equal("hello\n", result.StdoutText);
        await _server.Log.WaitForLineAsync(
            line => line.StartsWith("Accepted publickey for " + SshdServer.UserName, StringComparison.Ordinal)
                && line.Contains(type.SshName() is "ssh-rsa" ? "RSA" : type.SshName() is "ssh-ed25519" ? "ED25519" : "ECDSA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Exit_status_of_the_remote_command_is_the_client_exit_code()
    {
        ProcessResult result = await fixture.CreateOpenSshClient().RunAsync("exit 3");

        Assert.True(result.ExitCode == 3, Describe(result));
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Remote_stderr_and_stdout_are_captured_separately()
    {
        ProcessResult result = await fixture.CreateOpenSshClient().RunAsync("echo out; echo oops >&2");

        Assert.True(result.ExitCode == 0, Describe(result));
        Assert.Equal("out\n", result.StdoutText);
        Assert.Equal("oops\n", result.Stderr);
    }

    [Fact]
    public async Task Stdin_bytes_reach_the_remote_command()
    {
        byte[] input = Encoding.UTF8.GetBytes("line one\nline two\n");

        ProcessResult result = await fixture.CreateOpenSshClient().RunAsync("wc -l", input);

        Assert.True(result.ExitCode == 0, Describe(result));
        Assert.Equal("2", result.StdoutText.Trim());
    }

    [Fact]
    public async Task Accepted_environment_variables_pass_and_others_do_not()
    {
        OpenSshClient client = fixture.CreateOpenSshClient().WithOptions("SetEnv=LANG=C.UTF-8 RXSSH_NOT_ACCEPTED=1");

        ProcessResult result = await client.RunAsync("echo \"$LANG|${RXSSH_NOT_ACCEPTED-unset}\"");

        Assert.True(result.ExitCode == 0, Describe(result));
        Assert.Equal("C.UTF-8|unset\n", result.StdoutText);
    }

    [Fact]
    public async Task Host_keys_are_checked_strictly_against_the_known_hosts_file()
    {
        string emptyKnownHosts = Path.Combine(_server.Directory, "empty_known_hosts");
        await File.WriteAllTextAsync(emptyKnownHosts, string.Empty);

        ProcessResult result = await (fixture.CreateOpenSshClient() with { KnownHostsFile = emptyKnownHosts }).RunAsync("echo hello");

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("Host key verification failed", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task Passphrase_protected_key_cannot_be_used_in_batch_mode()
    {
        ProcessResult result = await fixture.CreateOpenSshClient(TestKeys.Ed25519WithPassphrase).RunAsync("echo hello");

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("Permission denied", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sftp_subsystem_answers_init_with_version()
    {
        // internal-sftp exits at stdin EOF without flushing, so stdin stays open until the reply is in.
        byte[] init = [0, 0, 0, 5, 1, 0, 0, 0, 3]; // SSH_FXP_INIT, version 3
        var stdin = new Pipe();
        var stdout = new Pipe();
        OpenSshClient client = fixture.CreateOpenSshClient() with { Arguments = ["-s"] };
        Task<ProcessResult> run = client.RunAsync("sftp", stdin.Reader.AsStream(), stdout.Writer.AsStream());

        await stdin.Writer.WriteAsync(init);
        ReadOnlySequence<byte> reply = await ReadAtLeastAsync(stdout.Reader, 9).WithTimeout();
        await stdin.Writer.CompleteAsync();
        ProcessResult result = await run;

        Assert.True(result.ExitCode == 0, Describe(result));
        Assert.Equal(2, reply.Slice(4, 1).FirstSpan[0]); // SSH_FXP_VERSION
    }

    private static async Task<ReadOnlySequence<byte>> ReadAtLeastAsync(PipeReader reader, int count)
    {
        ReadResult read = await reader.ReadAtLeastAsync(count);
        return read.Buffer;
    }

    private string Describe(ProcessResult result) =>
        result + Environment.NewLine + "--- sshd log ---" + Environment.NewLine + _server.Log.Text;
}
