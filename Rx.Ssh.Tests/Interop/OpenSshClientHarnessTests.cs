using System.Diagnostics;
using System.IO.Pipelines;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// Proves the <see cref="OpenSshClient"/> and <see cref="PtySession"/> harness against OpenSSH's
/// sshd, before it is pointed at our own server.
/// </summary>
[Collection(SshdCollection.Name)]
public sealed class OpenSshClientHarnessTests(SshdFixture fixture)
{
    private readonly SshdServer _server = fixture.Server;

    [Fact]
    public async Task Key_auth_runs_a_command_with_the_chosen_algorithms_and_returns_its_exit_code()
    {
        OpenSshClient client = OpenSshClient.ForPort(_server.Port, _server.KnownHostsPath, SshdServer.UserName) with
        {
            IdentityFile = TestKeys.Ed25519.PrivateKeyPath,
            KexAlgorithms = ["curve25519-sha256"],
            HostKeyAlgorithms = ["ssh-ed25519"],
            Ciphers = ["aes128-ctr"],
            Macs = ["hmac-sha2-256-etm@openssh.com"],
            Options = ["LogLevel=DEBUG1"],
        };

        ProcessResult result = await client.RunAsync("echo hi; exit 7");

        Assert.True(result.ExitCode == 7, result.ToString());
        Assert.Equal("hi\n", result.StdoutText);
        Assert.Contains("kex: algorithm: curve25519-sha256", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("kex: host key algorithm: ssh-ed25519", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("kex: server->client cipher: aes128-ctr MAC: hmac-sha2-256-etm@openssh.com", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Password_auth_goes_through_askpass_without_a_terminal()
    {
        const string password = "rx pass #1";
        await using SshdServer server = await SshdServer.StartAsync(
            new SshdOptions { PasswordAuthentication = true, UserPassword = password, AuthorizedKeys = [] });
        string askpassLog = Path.Combine(server.Directory, "askpass.log");
        OpenSshClient client = OpenSshClient.ForPort(server.Port, server.KnownHostsPath, SshdServer.UserName) with
        {
            Password = password,
            AskpassLogFile = askpassLog,
        };

        ProcessResult right = await client.RunAsync("echo in");
        ProcessResult wrong = await (client with { Password = "not it" }).RunAsync("echo in");

        Assert.True(right.ExitCode == 0, right.ToString());
        Assert.Equal("in\n", right.StdoutText);
        Assert.True(wrong.ExitCode == 255, wrong.ToString());
        Assert.Contains("Permission denied", wrong.Stderr, StringComparison.Ordinal);
        string prompt = $"{SshdServer.UserName}@{SshdServer.Host}'s password: ";
        Assert.Equal([prompt, prompt], await File.ReadAllLinesAsync(askpassLog));
        await server.Log.WaitForLineAsync(line => line.StartsWith("Accepted password for " + SshdServer.UserName, StringComparison.Ordinal));
        await server.Log.WaitForLineAsync(line => line.StartsWith("Failed password for " + SshdServer.UserName, StringComparison.Ordinal));
        Assert.Contains(client.BuildEnvironment(), v => v.Key == "SSH_ASKPASS_REQUIRE" && v.Value == "force");
        Assert.Contains("BatchMode=no", client.BuildArguments(null));
    }

    [Fact]
    public async Task SetEnv_variables_reach_the_remote_command()
    {
        OpenSshClient client = fixture.CreateOpenSshClient() with
        {
            SetEnv = new Dictionary<string, string> { ["LANG"] = "C", ["LC_RXSSH"] = "two words" },
        };

        ProcessResult result = await client.RunAsync("printf '%s|%s' \"$LANG\" \"$LC_RXSSH\"");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("C|two words", result.StdoutText);
    }

    [Fact]
    public async Task Ten_megabytes_stream_through_cat_to_EOF_and_back_into_a_hash()
    {
        const long length = 10 * 1024 * 1024;
        await using var input = new GeneratedStream(length, seed: 7);
        await using var output = new Sha256Sink();

        ProcessResult result = await (fixture.CreateOpenSshClient() with { Timeout = TestTimeout.Long })
            .RunAsync("cat", input, output);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(length, output.BytesWritten);
        Assert.Equal(GeneratedStream.ComputeSha256(length, seed: 7), output.GetHash());
    }

    [Fact]
    public async Task A_run_past_its_timeout_is_killed()
    {
        OpenSshClient client = fixture.CreateOpenSshClient() with { Timeout = TimeSpan.FromSeconds(1) };
        var neverEnding = new Pipe(); // stdin that stays open: the remote cat ends only when ssh's connection does
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<TimeoutException>(() => client.RunAsync("cat >/dev/null", neverEnding.Reader.AsStream(), null));

        Assert.True(stopwatch.Elapsed < TestTimeout.Default, $"took {stopwatch.Elapsed}");
        await neverEnding.Writer.CompleteAsync();
    }

    [Fact]
    public async Task Pty_session_reports_term_and_size_follows_resizes_and_edits_lines_remotely()
    {
        await using PtySession pty = fixture.CreateOpenSshClient()
            .StartPty("exec env 'PS1=rx> ' /bin/sh -i", term: "vt220", size: new TerminalSize(97, 31));
        await pty.WaitForOutputAsync("rx> ");

        pty.Write("echo \"T=$TERM\"; stty size; echo ready-$((6*7))\r");
        string first = await pty.WaitForOutputAsync("ready-42");
        Assert.Contains("T=vt220\r\n31 97\r\n", first, StringComparison.Ordinal);
        await pty.WaitForOutputAsync("rx> "); // type only once the shell prompts again, or the tty echoes ahead of the prompt

        pty.Resize(new TerminalSize(120, 40));
        pty.Write("stty size; echo ready-$((7*7))\r");
        string second = await pty.WaitForOutputAsync("ready-49");
        Assert.Contains("\n40 120\r\n", second, StringComparison.Ordinal);
        await pty.WaitForOutputAsync("rx> ");

        pty.Write("echo abX\x7f" + "c; echo ready-$((8*8))\r");
        string third = await pty.WaitForOutputAsync("ready-64");
        Assert.Contains("\nabc\r\n", third, StringComparison.Ordinal);

        pty.Write("exit 5\r");
        Assert.Equal(5, await pty.WaitForExitAsync());
    }
}
