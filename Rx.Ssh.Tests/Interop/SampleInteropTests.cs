using System.Text;
using Rx.Ssh.Keys;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Samples;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// Every server sample of samples.md (and <c>serve</c>), run in-process on a loopback port, used
/// the way a person would: with OpenSSH's <c>ssh</c>, on pipes (<c>-T</c>) or on a real
/// pseudo-terminal (<c>-tt</c>).
/// </summary>
public sealed class SampleInteropTests
{
    private static readonly byte[] Numbers = Encoding.UTF8.GetBytes("1\n2\nx\n3\n");

    /// <summary>ssh on pipes: no pty, a shell request (no command) unless one is given.</summary>
    private static OpenSshClient Piped(OpenSshClient ssh) => ssh with { Arguments = ["-T"] };

    [Fact]
    public async Task SimpleServer_GreetsUser123LoggingInWithThePasswordFromAskpass()
    {
        await using SampleServer server = await SampleServer.StartAsync("simple_server");
        string prompts = Path.Combine(server.Directory, "prompts");
        OpenSshClient ssh = Piped(server.Ssh("user123", withKey: false)) with { Password = "secretpw", AskpassLogFile = prompts };

        ProcessResult result = await ssh.RunAsync(null);

        Assert.Equal("Welcome to my SSH server, user123!\n", result.StdoutText);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("password", await File.ReadAllTextAsync(prompts), StringComparison.OrdinalIgnoreCase);
        await server.Out.WaitForLineAsync(line => line == "SSH connection closed.").WithTimeout();
        Assert.Contains("SSH connection received from 127.0.0.1.", server.Out.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimpleServer_LetsGuestInWithoutAnyPassword()
    {
        await using SampleServer server = await SampleServer.StartAsync("simple_server");

        // Batch mode and no key: ssh can only succeed with its initial "none" request.
        ProcessResult batch = await Piped(server.Ssh("guest", withKey: false)).RunAsync(null);

        // Able to ask for a password, ssh is never asked for one.
        string prompts = Path.Combine(server.Directory, "prompts");
        ProcessResult asking = await Piped(server.Ssh("guest", withKey: false) with { Password = "unused", AskpassLogFile = prompts }).RunAsync(null);

        Assert.Equal("Welcome to my SSH server, guest!\n", batch.StdoutText);
        Assert.Equal(0, batch.ExitCode);
        Assert.Equal("Welcome to my SSH server, guest!\n", asking.StdoutText);
        Assert.Equal(0, asking.ExitCode);
        Assert.False(File.Exists(prompts) && new FileInfo(prompts).Length > 0, "ssh asked for a password");
    }

    [Theory]
    [InlineData("user123", "wrong")]
    [InlineData("nobody", "secretpw")]
    public async Task SimpleServer_RefusesAWrongPasswordOrAnUnknownUser(string user, string password)
    {
        await using SampleServer server = await SampleServer.StartAsync("simple_server");

        ProcessResult result = await Piped(server.Ssh(user, withKey: false) with { Password = password }).RunAsync(null);

        Assert.Equal(255, result.ExitCode);
        Assert.Equal("", result.StdoutText);
        Assert.Contains("Permission denied", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimpleKeyedServer_AdmitsTheKeyInAuthorizedKeysUserAndRefusesOthers()
    {
        using SshPrivateKey otherKey = SshPrivateKey.Generate("ssh-ed25519");
        await using SampleServer server = await SampleServer.StartAsync("simple_keyed_server", directory =>
        {
            Directory.CreateDirectory(Path.Combine(directory, "authorized_keys"));
            File.WriteAllText(Path.Combine(directory, "authorized_keys", "alice"), SampleServer.UserKey.PublicKey.ToOpenSshString() + "\n");
            File.WriteAllText(Path.Combine(directory, "authorized_keys", "bob"), otherKey.PublicKey.ToOpenSshString() + "\n");
        });

        ProcessResult alice = await Piped(server.Ssh("alice")).RunAsync(null);
        ProcessResult bob = await Piped(server.Ssh("bob")).RunAsync(null);
        ProcessResult carol = await Piped(server.Ssh("carol")).RunAsync(null);

        Assert.Equal("Welcome to my SSH server, alice!\n", alice.StdoutText);
        Assert.Equal(0, alice.ExitCode);
        Assert.Equal(255, bob.ExitCode);
        Assert.Contains("Permission denied (publickey)", bob.Stderr, StringComparison.Ordinal);
        Assert.Equal(255, carol.ExitCode);
    }

    [Theory]
    [InlineData("math_server")]
    [InlineData("callback_math_server")]
    public async Task MathServer_SumsPipedNumbersUntilEof(string name)
    {
        await using SampleServer server = await SampleServer.StartAsync(name);

        ProcessResult result = await Piped(server.Ssh()).RunAsync(null, Numbers);

        Assert.Equal("Enter numbers one per line, or EOF when done:\nTotal = 6\n", result.StdoutText);
        Assert.Equal("Invalid number: x\n", result.Stderr);
        Assert.Equal(0, result.ExitCode);
    }

    [Theory]
    [InlineData("math_server")]
    [InlineData("callback_math_server")]
    public async Task MathServer_OnATerminalPrintsTheTotalAtATildeBBreak(string name)
    {
        await using SampleServer server = await SampleServer.StartAsync(name);
        await using PtySession pty = server.Ssh().StartPty();
        await pty.WaitForOutputAsync("EOF when done:");

        pty.Write("5\r7\rnope\r");
        await pty.WaitForOutputAsync("Invalid number: nope"); // 5 and 7 are counted by now
        pty.Write("~B"); // ssh's escape: send a break (after Enter, as escapes must be)

        await pty.WaitForOutputAsync("Total = 12");
        Assert.Equal(0, await pty.WaitForExitAsync());
    }

    [Fact]
    public async Task ChatServer_ThreeSshClientsSeeEachOthersMessages()
    {
        await using SampleServer server = await SampleServer.StartAsync("chat_server");
        await using PtySession alice = server.Ssh("alice").StartPty();
        await Join(alice, "Alice", others: 0);
        await using PtySession bob = server.Ssh("bob").StartPty();
        await Join(bob, "Bob", others: 1);
        await alice.WaitForOutputAsync("*** Bob has entered chat ***");
        await using PtySession carol = server.Ssh("carol").StartPty();
        await Join(carol, "Carol", others: 2);
        await alice.WaitForOutputAsync("*** Carol has entered chat ***");
        await bob.WaitForOutputAsync("*** Carol has entered chat ***");

        bob.Write("hi all\r");
        await alice.WaitForOutputAsync("Bob: hi all");
        await carol.WaitForOutputAsync("Bob: hi all");
        carol.Write("hello bob\r");
        await alice.WaitForOutputAsync("Carol: hello bob");
        await bob.WaitForOutputAsync("Carol: hello bob");

        bob.Write("\x04"); // ^D: end of input on the server's line editor
        await alice.WaitForOutputAsync("*** Bob has left chat ***");
        await carol.WaitForOutputAsync("*** Bob has left chat ***");
        Assert.Equal(0, await bob.WaitForExitAsync());
        carol.Write("~B"); // a break leaves too
        await alice.WaitForOutputAsync("*** Carol has left chat ***");
        Assert.Equal(0, await carol.WaitForExitAsync());
        Assert.DoesNotContain("Bob: hi all", bob.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Carol: hello bob", carol.Output, StringComparison.Ordinal);

        static async Task Join(PtySession pty, string name, int others)
        {
            await pty.WaitForOutputAsync("Enter your name: ");
            pty.Write(name + "\r");
            await pty.WaitForOutputAsync($"{others} other users are connected.");
        }
    }

    [Fact]
    public async Task Editor_DoesNotEchoTheSecretThenEndsAtOneKey()
    {
        await using SampleServer server = await SampleServer.StartAsync("editor");
        await using PtySession pty = server.Ssh("alice").StartPty();
        await pty.WaitForOutputAsync("Welcome to my SSH server, alice!");
        await pty.WaitForOutputAsync("Tell me a secret: ");

        pty.Write("hunter2\r");
        await pty.WaitForOutputAsync("Press any key to exit...");
        pty.Write("q");

        Assert.Equal(0, await pty.WaitForExitAsync());
        Assert.DoesNotContain("hunter2", pty.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("q", pty.Output[pty.Output.IndexOf("exit...", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedirectServer_AnswersWithBc()
    {
        await using SampleServer server = await SampleServer.StartAsync("redirect_server");

        ProcessResult result = await Piped(server.Ssh()).RunAsync(null, "2+2\n2^32\n1/0\n"u8.ToArray());

        Assert.Equal("4\n4294967296\n", result.StdoutText);
        Assert.Contains("divide by zero", result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task RedirectServer_IsAnInteractiveCalculatorOnATerminal()
    {
        await using SampleServer server = await SampleServer.StartAsync("redirect_server");
        await using PtySession pty = server.Ssh().StartPty();

        pty.Write("6*7\r");
        await pty.WaitForOutputAsync("42\r\n"); // the echo "6*7" cannot contain it
        pty.Write("2^10\r");
        await pty.WaitForOutputAsync("1024\r\n");
        pty.Write("\x04"); // ^D: EOF, and bc ends

        Assert.Equal(0, await pty.WaitForExitAsync());
    }

    [Fact]
    public async Task ShowEnvironment_ListsTheVariablesSshSent()
    {
        await using SampleServer server = await SampleServer.StartAsync("show_environment");
        OpenSshClient ssh = Piped(server.Ssh()) with
        {
            SetEnv = new Dictionary<string, string> { ["LANG"] = "en_GB.UTF-8", ["LC_COLLATE"] = "C" },
        };

        ProcessResult result = await ssh.RunAsync(null);

        Assert.Equal("Environment:\n  LANG:       en_GB.UTF-8\n  LC_COLLATE: C\n", result.StdoutText);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task ShowEnvironment_FailsWhenSshSentNone()
    {
        await using SampleServer server = await SampleServer.StartAsync("show_environment");

        ProcessResult result = await Piped(server.Ssh()).RunAsync(null);

        Assert.Equal("", result.StdoutText);
        Assert.Equal("No environment sent.\n", result.Stderr);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public async Task ShowTerminal_PrintsSshsTerminalAndEachResize()
    {
        await using SampleServer server = await SampleServer.StartAsync("show_terminal");
        await using PtySession pty = server.Ssh().StartPty(term: "xterm-color", size: new TerminalSize(97, 31));
        await pty.WaitForOutputAsync("Terminal type: xterm-color, size: 97x31");
        await pty.WaitForOutputAsync("Try resizing your window!");

        pty.Resize(new TerminalSize(120, 40));
        await pty.WaitForOutputAsync("New window size: 120x40");
        pty.Resize(new TerminalSize(60, 20));
        await pty.WaitForOutputAsync("New window size: 60x20");
        pty.Write("~B");

        Assert.Equal(0, await pty.WaitForExitAsync());
    }

    [Fact]
    public async Task Serve_ShellOnARealPtyOfSshsTypeAndSize()
    {
        await using ServeUnderTest serve = await ServeUnderTest.StartAsync();
        await using PtySession pty = serve.Ssh.StartPty(term: "vt220", size: new TerminalSize(97, 31));

        pty.Write("echo $TERM; stty size\r");
        await pty.WaitForOutputAsync("vt220\r\n31 97");
        pty.Resize(new TerminalSize(101, 33));
        pty.Write("stty size; exit 3\r");
        await pty.WaitForOutputAsync("33 101");

        Assert.Equal(3, await pty.WaitForExitAsync());
    }

    [Fact]
    public async Task Serve_ExecGivesStdoutStderrAndExitCode()
    {
        await using ServeUnderTest serve = await ServeUnderTest.StartAsync();

        ProcessResult result = await serve.Ssh.RunAsync("echo out; echo err >&2; read x; echo got $x; exit 7", "line\n"u8.ToArray());

        Assert.Equal("out\ngot line\n", result.StdoutText);
        Assert.Equal("err\n", result.Stderr);
        Assert.Equal(7, result.ExitCode);
    }

    [Fact]
    public async Task Serve_PassesOnTheEnvironmentSshSends()
    {
        await using ServeUnderTest serve = await ServeUnderTest.StartAsync();

        ProcessResult result = await (serve.Ssh with { SetEnv = new Dictionary<string, string> { ["RXSSH_GREETING"] = "hello there" } })
            .RunAsync("echo \"$RXSSH_GREETING\"");

        Assert.Equal("hello there\n", result.StdoutText);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task Serve_ACommandKilledBySigtermEndsSshWith255()
    {
        await using ServeUnderTest serve = await ServeUnderTest.StartAsync();

        ProcessResult result = await serve.Ssh.RunAsync("echo started; kill -TERM $$; echo survived");

        Assert.Equal("started\n", result.StdoutText); // logged in and ran, so 255 is not a connection failure
        Assert.Equal(255, result.ExitCode); // ssh's status for a remote exit-signal
    }

    [Fact]
    public async Task Serve_ForwardsSshWToTheDestination()
    {
        await using var echo = new Server.Forwarding.EchoService();
        await using ServeUnderTest serve = await ServeUnderTest.StartAsync();

        ProcessResult result = await (serve.Ssh with { Arguments = ["-W", $"127.0.0.1:{echo.Port}"] }).RunAsync(null, "through serve\n"u8.ToArray());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("through serve\n", result.StdoutText);
        Assert.Equal(1, echo.Accepted);
    }

    [Fact]
    public async Task Serve_ListensForSshROnLoopbackAndForwardsBack()
    {
        await using var echo = new Server.Forwarding.EchoService();
        await using ServeUnderTest serve = await ServeUnderTest.StartAsync();
        await using var ssh = Server.Forwarding.BackgroundSsh.Start((serve.Ssh with { Arguments = ["-N", "-R", $"0:127.0.0.1:{echo.Port}"] }).WithOptions("ExitOnForwardFailure=yes"));

        System.Text.RegularExpressions.Match allocated = await ssh.WaitForLineAsync(@"Allocated port (\d+) for remote forward");
        int port = int.Parse(allocated.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, port).WithTimeout();
        System.Net.Sockets.NetworkStream stream = tcp.GetStream();
        await stream.WriteAsync("back through ssh"u8.ToArray());
        tcp.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        using var received = new MemoryStream();
        await stream.CopyToAsync(received).WithTimeout();
        Assert.Equal("back through ssh", Encoding.UTF8.GetString(received.ToArray()));
    }
}
