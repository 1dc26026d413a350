using System.Reactive.Concurrency;
using Rx.Ssh.Client;
using Rx.Ssh.Connection;
using Rx.Ssh.Keys;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Server;

/// <summary>authorized_keys options the server enforces on sessions: command=, environment=, no-pty.</summary>
public sealed class ServerKeyOptionsTests
{
    private static readonly Lazy<SshPrivateKey> Key = new(() => SshPrivateKey.Generate("ssh-ed25519"));

    private static Task<InMemoryServer> StartAsync(string keyOptions, bool permitUserEnvironment = false)
    {
        string line = keyOptions + " " + Key.Value.PublicKey.ToOpenSshString("k") + "\n";
        SshServerOptions server = InMemoryServer.DefaultServerOptions(async p =>
        {
            p.Environment.TryGetValue("SSH_ORIGINAL_COMMAND", out string? original);
            p.Environment.TryGetValue("FOO", out string? foo);
            await p.Stdout.WriteAsync($"command={p.Command} original={original} foo={foo} pty={p.Terminal is not null}\n");
        }) with
        {
            PasswordValidator = null,
            AuthorizedKeys = user => AuthorizedKeysFile.Parse(line),
            PermitUserEnvironment = permitUserEnvironment,
            AcceptEnv = ["FOO"],
        };
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with { Password = null, Keys = [Key.Value] };
        return InMemoryServer.StartAsync(server, client);
    }

    [Fact]
    public async Task Command_option_forces_the_command_and_keeps_the_original()
    {
        await using InMemoryServer pair = await StartAsync("command=\"/usr/bin/forced --flag\"");

        SshCompletedProcess result = await pair.Client.RunAsync("rm -rf /tmp/x").WaitAsync(TestTimeout.Default);

        Assert.Equal("command=/usr/bin/forced --flag original=rm -rf /tmp/x foo= pty=False\n", result.Stdout);
        Assert.Equal("/usr/bin/forced --flag", pair.Server.KeyOptions?.Command);
    }

    [Fact]
    public async Task Environment_option_adds_variables_when_permitted()
    {
        await using InMemoryServer pair = await StartAsync("environment=\"FOO=bar baz\"", permitUserEnvironment: true);

        SshCompletedProcess result = await pair.Client.RunAsync("show").WaitAsync(TestTimeout.Default);

        Assert.Equal("command=show original= foo=bar baz pty=False\n", result.Stdout);
    }

    [Fact]
    public async Task Environment_option_overrides_what_the_client_sent()
    {
        await using InMemoryServer pair = await StartAsync("environment=\"FOO=from-key\"", permitUserEnvironment: true);

        SshCompletedProcess result = await pair.Client.RunAsync("show", new SshProcessOptions
        {
            Environment = new Dictionary<string, string> { ["FOO"] = "from-client" },
        }).WaitAsync(TestTimeout.Default);

        Assert.Contains("foo=from-key ", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Environment_option_is_ignored_unless_permitted()
    {
        await using InMemoryServer pair = await StartAsync("environment=\"FOO=from-key\"");

        SshCompletedProcess result = await pair.Client.RunAsync("show").WaitAsync(TestTimeout.Default);
        Assert.Equal("command=show original= foo= pty=False\n", result.Stdout);

        // What the client sends (and the server accepts) is all there is.
        result = await pair.Client.RunAsync("show", new SshProcessOptions
        {
            Environment = new Dictionary<string, string> { ["FOO"] = "from-client" },
        }).WaitAsync(TestTimeout.Default);
        Assert.Equal("command=show original= foo=from-client pty=False\n", result.Stdout);
    }

    [Fact]
    public async Task No_pty_refuses_a_terminal()
    {
        await using InMemoryServer pair = await StartAsync("no-pty");

        SshChannelRequestException error = await Assert.ThrowsAsync<SshChannelRequestException>(
            () => pair.Client.RunAsync("x", new SshProcessOptions { Terminal = new SshTerminal("xterm", 80, 24) }).WaitAsync(TestTimeout.Default));
        Assert.Contains("pty-req", error.Message, StringComparison.Ordinal);

        // Without a terminal the key still works.
        SshCompletedProcess result = await pair.Client.RunAsync("x").WaitAsync(TestTimeout.Default);
        Assert.Equal("command=x original= foo= pty=False\n", result.Stdout);
    }

    [Fact]
    public async Task Restrict_refuses_a_terminal_unless_pty_is_given_back()
    {
        await using (InMemoryServer pair = await StartAsync("restrict"))
        {
            await Assert.ThrowsAsync<SshChannelRequestException>(
                () => pair.Client.RunAsync("x", new SshProcessOptions { Terminal = new SshTerminal("xterm", 80, 24) }).WaitAsync(TestTimeout.Default));
        }

        await using (InMemoryServer pair = await StartAsync("restrict,pty"))
        {
            SshCompletedProcess result = await pair.Client.RunAsync("x", new SshProcessOptions { Terminal = new SshTerminal("xterm", 80, 24) }).WaitAsync(TestTimeout.Default);
            Assert.Contains("pty=True", result.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Command_option_replaces_a_subsystem_request_too()
    {
        string line = "command=\"/usr/local/bin/backup\" " + Key.Value.PublicKey.ToOpenSshString("k") + "\n";
        var seen = new TaskCompletionSource<StartedAs>(TaskCreationOptions.RunContinuationsAsynchronously);
        SshServerOptions server = InMemoryServer.DefaultServerOptions(p => Record(p, seen)) with
        {
            PasswordValidator = null,
            AuthorizedKeys = user => AuthorizedKeysFile.Parse(line),
        };
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with { Password = null, Keys = [Key.Value] };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(server, client);

        StartedAs started = await RequestSubsystemAsync(pair.Client, "sftp", seen);

        Assert.Equal(new StartedAs("exec", "/usr/local/bin/backup", null, "sftp"), started);
    }

    [Fact]
    public async Task An_entry_that_expires_during_authentication_refuses_the_login()
    {
        // The line forces a command and expires at 00:01; the key is validated at 00:00, then the
        // clock passes the expiry before the signature check ends. Letting the client in would
        // drop the line's command=: the server must refuse instead.
        var clock = new HistoricalScheduler(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        string line = "command=\"/usr/bin/forced\",expiry-time=\"202601010001Z\" " + Key.Value.PublicKey.ToOpenSshString("k") + "\n";
        SshServerOptions options = InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("unrestricted\n")) with
        {
            PasswordValidator = null,
            AuthorizedKeys = _ => AuthorizedKeysFile.Parse(line),
            Scheduler = clock,
            HandlerFactory = () => new ClockAdvancingHandler(clock, TimeSpan.FromSeconds(90)),
        };
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(options);
        await using (client)
        {
            await client.RequestUserAuthAsync();
            await client.SendPublicKeyAsync("alice", Key.Value, "ssh-ed25519", sign: true);

            ServerAuthenticationTests.AssertFailure(await client.ReceiveSkippingBannersAsync().WaitAsync(TestTimeout.Default));
            Assert.False(server.IsCompleted);
        }
    }

    /// <summary>Moves the server's clock on right after the default key validation.</summary>
    private sealed class ClockAdvancingHandler(HistoricalScheduler clock, TimeSpan by) : SshServerHandler
    {
        public override async ValueTask<bool> ValidatePublicKeyAsync(SshAuthContext context, SshPublicKey key, CancellationToken cancellationToken)
        {
            bool accepted = await base.ValidatePublicKeyAsync(context, key, cancellationToken);
            clock.AdvanceBy(by);
            return accepted;
        }
    }

    /// <summary>How the server process saw its session start: request type, command, subsystem, SSH_ORIGINAL_COMMAND.</summary>
    internal sealed record StartedAs(string RequestType, string? Command, string? Subsystem, string? OriginalCommand);

    /// <summary>A process handler that records how it was started.</summary>
    internal static Task Record(SshServerProcess process, TaskCompletionSource<StartedAs> seen)
    {
        process.Environment.TryGetValue("SSH_ORIGINAL_COMMAND", out string? original);
        seen.TrySetResult(new StartedAs(process.RequestType, process.Command, process.Subsystem, original));
        return Task.CompletedTask;
    }

    /// <summary>Opens a session and asks for <paramref name="subsystem"/>; returns what the server process saw.</summary>
    internal static async Task<StartedAs> RequestSubsystemAsync(SshClientConnection client, string subsystem, TaskCompletionSource<StartedAs> seen)
    {
        SshChannel channel = await client.OpenChannelAsync("session", null, CancellationToken.None).WaitAsync(TestTimeout.Default);
        await SessionRequests.StartAsync(channel, "subsystem", subsystem, new SshProcessOptions(), SessionDefaults.None, null, CancellationToken.None).WaitAsync(TestTimeout.Default);
        return await seen.Task.WaitAsync(TestTimeout.Default);
    }
}
