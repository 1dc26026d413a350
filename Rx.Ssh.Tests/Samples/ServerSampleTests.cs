using System.Text;
using Rx.Ssh.Keys;
using Rx.Ssh.Samples;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Samples;

/// <summary>The server samples of samples.md, each run in-process on a loopback port and driven by the Rx.Ssh client.</summary>
public sealed class ServerSampleTests
{
    private static readonly SshTerminal Pty = new("xterm-color", 80, 24);

    [Fact]
    public void EveryServerSampleIsListed()
    {
        string[] names = ["simple_server", "simple_keyed_server", "math_server", "callback_math_server", "redirect_server", "chat_server", "editor", "show_environment", "show_terminal"];

        Assert.All(names, name => Assert.NotNull(SampleCatalog.Find(name)));
    }

    [Fact]
    public async Task SimpleServer_GreetsAPasswordUserAndLogsTheConnection()
    {
        await using SampleServer server = await SampleServer.StartAsync("simple_server");
        await using (SshClientConnection client = await server.ConnectAsync(SampleServer.ClientOptions("user123", password: "secretpw")))
        {
            SshCompletedProcess result = await client.RunAsync("").WithTimeout();

            Assert.Equal("Welcome to my SSH server, user123!\n", result.Stdout);
            Assert.Equal(0, result.ExitStatus);
        }

        await server.Out.WaitForLineAsync(line => line == "SSH connection closed.");
        Assert.Contains("SSH connection received from 127.0.0.1.", server.Out.Text);
    }

    [Fact]
    public async Task SimpleServer_LetsGuestInWithoutAnyPassword()
    {
        await using SampleServer server = await SampleServer.StartAsync("simple_server");
        await using SshClientConnection client = await server.ConnectAsync(SampleServer.ClientOptions("guest", key: null) with { Keys = [] });

        SshCompletedProcess result = await client.RunAsync("").WithTimeout();

        Assert.Equal("Welcome to my SSH server, guest!\n", result.Stdout);
    }

    [Theory]
    [InlineData("user123", "wrong")]
    [InlineData("user123", "")]
    [InlineData("nobody", "secretpw")]
    public async Task SimpleServer_RefusesWrongPasswordsAndUnknownUsers(string user, string password)
    {
        await using SampleServer server = await SampleServer.StartAsync("simple_server");

        await Assert.ThrowsAsync<SshPermissionDeniedException>(() => server.ConnectAsync(SampleServer.ClientOptions(user, password)));
    }

    [Fact]
    public async Task SimpleKeyedServer_AdmitsOnlyTheKeysInTheUsersOwnFile()
    {
        using SshPrivateKey otherKey = SshPrivateKey.Generate("ssh-ed25519");
        await using SampleServer server = await SampleServer.StartAsync("simple_keyed_server", directory =>
        {
            Directory.CreateDirectory(Path.Combine(directory, "authorized_keys"));
            File.WriteAllText(Path.Combine(directory, "authorized_keys", "alice"), SampleServer.UserKey.PublicKey.ToOpenSshString() + "\n");
            File.WriteAllText(Path.Combine(directory, "authorized_keys", "bob"), otherKey.PublicKey.ToOpenSshString() + "\n");
        });

        await using (SshClientConnection alice = await server.ConnectAsync("alice"))
        {
            Assert.Equal("Welcome to my SSH server, alice!\n", (await alice.RunAsync("").WithTimeout()).Stdout);
        }

        await Assert.ThrowsAsync<SshPermissionDeniedException>(() => server.ConnectAsync("bob"));
        await Assert.ThrowsAsync<SshPermissionDeniedException>(() => server.ConnectAsync("carol"));
        await Assert.ThrowsAsync<SshPermissionDeniedException>(() => server.ConnectAsync("bob/../alice"));
    }

    [Theory]
    [InlineData("math_server")]
    [InlineData("callback_math_server")]
    public async Task MathServer_SumsNumbersUntilEof(string name)
    {
        await using SampleServer server = await SampleServer.StartAsync(name);
        await using SshClientConnection client = await server.ConnectAsync();

        SshCompletedProcess result = await client.RunAsync("", new SshProcessOptions { Input = Encoding.UTF8.GetBytes("1\n2\nx\n3\n") }).WithTimeout();

        Assert.Equal("Enter numbers one per line, or EOF when done:\nTotal = 6\n", result.Stdout);
        Assert.Equal("Invalid number: x\n", result.Stderr);
        Assert.Equal(0, result.ExitStatus);
    }

    [Theory]
    [InlineData("math_server")]
    [InlineData("callback_math_server")]
    public async Task MathServer_PrintsTheTotalAtABreak(string name)
    {
        await using SampleServer server = await SampleServer.StartAsync(name);
        await using SshClientConnection client = await server.ConnectAsync();
        await using InteractiveSession session = await InteractiveSession.StartAsync(client);

        await session.WriteAsync("5\n7\nnope\n");
        await session.Stderr.WaitForTextAsync("Invalid number: nope\n"); // 5 and 7 are counted by now
        Assert.True(await session.SendBreakAsync(500));

        Assert.Equal(0, await session.WaitForExitAsync());
        Assert.EndsWith("Total = 12\n", session.Stdout.Text);
    }

    [Fact]
    public async Task ChatServer_BroadcastsEachMessageToTheOthers()
    {
        await using SampleServer server = await SampleServer.StartAsync("chat_server");
        await using SshClientConnection aliceConnection = await server.ConnectAsync("alice");
        await using SshClientConnection bobConnection = await server.ConnectAsync("bob");
        await using InteractiveSession alice = await InteractiveSession.StartAsync(aliceConnection);
        await using InteractiveSession bob = await InteractiveSession.StartAsync(bobConnection);

        await alice.Stdout.WaitForTextAsync("Enter your name: ");
        await alice.WriteAsync("Alice\n");
        await alice.Stdout.WaitForTextAsync("0 other users are connected.");
        await bob.Stdout.WaitForTextAsync("Enter your name: ");
        await bob.WriteAsync("Bob\n");
        await bob.Stdout.WaitForTextAsync("1 other users are connected.");
        await alice.Stdout.WaitForTextAsync("*** Bob has entered chat ***\n");

        await bob.WriteAsync("hi alice\n");
        await alice.Stdout.WaitForTextAsync("Bob: hi alice\n");
        await alice.WriteAsync("hello bob\n");
        await bob.Stdout.WaitForTextAsync("Alice: hello bob\n");
        await bob.SendEofAsync();
        await alice.Stdout.WaitForTextAsync("*** Bob has left chat ***\n");

        Assert.Equal(0, await bob.WaitForExitAsync());
        Assert.DoesNotContain("Bob: hi alice", bob.Stdout.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Alice: hello bob", alice.Stdout.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editor_HidesTheSecretThenTakesOneKey()
    {
        await using SampleServer server = await SampleServer.StartAsync("editor");
        await using SshClientConnection client = await server.ConnectAsync("alice");
        await using InteractiveSession session = await InteractiveSession.StartAsync(client, new SshProcessOptions { Terminal = Pty });

        await session.Stdout.WaitForTextAsync("Tell me a secret: ");
        await session.WriteAsync("hunter2\r");
        await session.Stdout.WaitForTextAsync("Press any key to exit...");
        await session.WriteAsync("q");

        Assert.Equal(0, await session.WaitForExitAsync());
        Assert.StartsWith("Welcome to my SSH server, alice!\r\n\r\n", session.Stdout.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", session.Stdout.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("q", session.Stdout.Text[session.Stdout.Text.IndexOf("exit...", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RedirectServer_RunsBcWithTheSessionsInputAndOutput()
    {
        await using SampleServer server = await SampleServer.StartAsync("redirect_server");
        await using SshClientConnection client = await server.ConnectAsync();

        SshCompletedProcess result = await client.RunAsync("", new SshProcessOptions { Input = Encoding.UTF8.GetBytes("2+2\n2^32\n1/0\n") }).WithTimeout();

        Assert.Equal("4\n4294967296\n", result.Stdout);
        Assert.Contains("divide by zero", result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, result.ExitStatus);
    }

    [Fact]
    public async Task RedirectServer_OnAPtyShowsBcsOutputAsTerminalLines()
    {
        await using SampleServer server = await SampleServer.StartAsync("redirect_server");
        await using SshClientConnection client = await server.ConnectAsync();
        await using InteractiveSession session = await InteractiveSession.StartAsync(client, new SshProcessOptions { Terminal = Pty });

        await session.WriteAsync("6*7\r");
        await session.Stdout.WaitForTextAsync("6*7\r\n42\r\n"); // the editor's echo, then bc's line with \n sent as \r\n
        await session.WriteAsync("\x04");

        Assert.Equal(0, await session.WaitForExitAsync());
    }

    [Fact]
    public async Task ShowEnvironment_ListsTheVariablesSent()
    {
        await using SampleServer server = await SampleServer.StartAsync("show_environment");
        await using SshClientConnection client = await server.ConnectAsync();

        SshCompletedProcess result = await client.RunAsync("", new SshProcessOptions
        {
            Environment = new Dictionary<string, string> { ["LANG"] = "en_GB.UTF-8", ["LC_COLLATE"] = "C" },
        }).WithTimeout();

        Assert.Equal("Environment:\n  LANG:       en_GB.UTF-8\n  LC_COLLATE: C\n", result.Stdout);
        Assert.Equal(0, result.ExitStatus);
    }

    [Fact]
    public async Task ShowEnvironment_FailsWhenNoneIsSent()
    {
        await using SampleServer server = await SampleServer.StartAsync("show_environment");
        await using SshClientConnection client = await server.ConnectAsync();

        SshCompletedProcess result = await client.RunAsync("").WithTimeout();

        Assert.Equal("", result.Stdout);
        Assert.Equal("No environment sent.\n", result.Stderr);
        Assert.Equal(1, result.ExitStatus);
    }

    [Fact]
    public async Task ShowTerminal_ReportsTheTerminalAndEveryResizeUntilABreak()
    {
        await using SampleServer server = await SampleServer.StartAsync("show_terminal");
        await using SshClientConnection client = await server.ConnectAsync();
        await using InteractiveSession session = await InteractiveSession.StartAsync(client, new SshProcessOptions { Terminal = Pty });

        await session.Stdout.WaitForTextAsync("Terminal type: xterm-color, size: 80x24\r\nTry resizing your window!\r\n");
        await session.ResizeAsync(100, 40);
        await session.Stdout.WaitForTextAsync("New window size: 100x40\r\n");
        await session.ResizeAsync(120, 50, 960, 800);
        await session.Stdout.WaitForTextAsync("New window size: 120x50 (960x800 pixels)\r\n");
        Assert.True(await session.SendBreakAsync());

        Assert.Equal(0, await session.WaitForExitAsync());
    }

    [Fact]
    public async Task ShowTerminal_EndsAtEof()
    {
        await using SampleServer server = await SampleServer.StartAsync("show_terminal");
        await using SshClientConnection client = await server.ConnectAsync();

        SshCompletedProcess result = await client.RunAsync("").WithTimeout();

        Assert.Equal("Terminal type: none, size: 0x0\nTry resizing your window!\n", result.Stdout);
        Assert.Equal(0, result.ExitStatus);
    }

    [Fact]
    public async Task ServerSample_StopsCleanlyAndDisconnectsClients()
    {
        SampleServer server = await SampleServer.StartAsync("chat_server");
        await using SshClientConnection client = await server.ConnectAsync();

        Assert.Equal(0, await server.StopAsync());

        await client.Completion.WithTimeout(); // the server disconnected it
        await server.DisposeAsync();
    }

    [Theory]
    [InlineData("simple_server")]
    [InlineData("simple_keyed_server")]
    [InlineData("math_server")]
    [InlineData("chat_server")]
    public async Task MissingHostKey_IsOneLineOnStderrAndExitCode1(string name)
    {
        (int exitCode, string output, string error) = await SampleServer.RunUntilExitAsync(name, directory =>
        {
            SampleServer.WriteDefaultFiles(directory);
            File.Delete(Path.Combine(directory, "ssh_host_key"));
        });

        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Equal("Cannot read host key file 'ssh_host_key': no such file.\n", error);
    }

    [Fact]
    public async Task CorruptHostKey_IsOneLineOnStderrAndExitCode1()
    {
        (int exitCode, _, string error) = await SampleServer.RunUntilExitAsync("simple_server", directory =>
            File.WriteAllText(Path.Combine(directory, "ssh_host_key"), "not a key\n"));

        Assert.Equal(1, exitCode);
        Assert.StartsWith("Cannot read host key file 'ssh_host_key': ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task MissingUserCa_IsOneLineOnStderrAndExitCode1()
    {
        (int exitCode, _, string error) = await SampleServer.RunUntilExitAsync("show_environment", directory =>
        {
            SampleServer.WriteDefaultFiles(directory);
            File.Delete(Path.Combine(directory, "ssh_user_ca"));
        });

        Assert.Equal(1, exitCode);
        Assert.Equal("Cannot read authorized keys file 'ssh_user_ca': no such file.\n", error);
    }

    [Fact]
    public async Task PortInUse_IsOneLineOnStderrAndExitCode1()
    {
        var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            int port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
            (int exitCode, string output, string error) = await SampleServer.RunUntilExitAsync("simple_server", SampleServer.WriteDefaultFiles, context => context with { Port = port });

            Assert.Equal(1, exitCode);
            Assert.Equal("", output);
            Assert.StartsWith($"Cannot listen on 127.0.0.1 port {port}", error, StringComparison.Ordinal);
            Assert.Single(error.TrimEnd('\n').Split('\n'));
        }
        finally
        {
            taken.Stop();
        }
    }

    [Fact]
    public async Task InvalidListenAddress_IsOneLineOnStderrAndExitCode1()
    {
        (int exitCode, _, string error) = await SampleServer.RunUntilExitAsync("simple_server", SampleServer.WriteDefaultFiles, context => context with { Listen = "not-an-address" });

        Assert.Equal(1, exitCode);
        Assert.StartsWith("Invalid --listen address 'not-an-address'", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }
}
