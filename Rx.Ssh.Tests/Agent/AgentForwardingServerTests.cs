using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Samples;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Agent;

/// <summary>
/// Agent forwarding, server side (<see cref="SshServerOptions.AllowAgentForwarding"/>): OpenSSH's
/// <c>ssh -A</c> and our client with <see cref="SshClientOptions.ForwardAgent"/> reach their agent from
/// the session through <c>SSH_AUTH_SOCK</c>; refused when the server does not allow it or the key says
/// <c>no-agent-forwarding</c>; and the serve sample's commands (<c>ssh-add -L</c>) see the agent.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AgentForwardingServerTests : IAsyncLifetime
{
    private OpenSshAgent _agent = null!;

    public async Task InitializeAsync()
    {
        _agent = await OpenSshAgent.StartAsync();
        await _agent.SshAddAsync(TestKeys.Ecdsa256.PrivateKeyPath);
        await _agent.SshAddAsync(TestKeys.Rsa2048.PrivateKeyPath);
    }

    public Task DisposeAsync() => _agent.DisposeAsync().AsTask();

    [Fact]
    public async Task Ssh_A_reaches_its_agent_from_our_session()
    {
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(new SshServerOptions { ProcessHandler = ListIdentitiesAsync, AllowAgentForwarding = true });

        ProcessResult result = await server.Client().WithOptions(ForwardAgent()).RunAsync("list");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(await _agent.SshAddAsync("-L") == result.StdoutText, result.ToString());
    }

    [Fact]
    public async Task Without_AllowAgentForwarding_or_for_a_no_agent_forwarding_key_there_is_no_socket()
    {
        await using RxSshServerUnderTest off = await RxSshServerUnderTest.StartAsync(new SshServerOptions { ProcessHandler = ListIdentitiesAsync });
        await using RxSshServerUnderTest restricted = await RxSshServerUnderTest.StartAsync(new SshServerOptions
        {
            ProcessHandler = ListIdentitiesAsync,
            AllowAgentForwarding = true,
            AuthorizedKeys = _ => AuthorizedKeysFile.Parse("no-agent-forwarding " + TestKeys.Ed25519.PublicKeyLine + "\n"),
        });

        foreach (RxSshServerUnderTest server in new[] { off, restricted })
        {
            ProcessResult result = await server.Client().WithOptions(ForwardAgent()).RunAsync("list");

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal("no agent\n", result.StdoutText);
        }
    }

    [Fact]
    public async Task Our_client_forwards_its_agent_to_our_server()
    {
        SshServerOptions server = InMemoryServer.DefaultServerOptions(ListIdentitiesAsync) with { AllowAgentForwarding = true };
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with { AgentPath = _agent.SocketPath, ForwardAgent = true };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(server, client);

        SshCompletedProcess listed = await pair.Client.RunAsync("list").WaitAsync(TestTimeout.Default);
        await using InMemoryServer withoutForwarding = await InMemoryServer.StartAsync(server, client with { ForwardAgent = false });
        SshCompletedProcess plain = await withoutForwarding.Client.RunAsync("list").WaitAsync(TestTimeout.Default);

        Assert.Equal(await _agent.SshAddAsync("-L"), listed.Stdout);
        Assert.Equal("no agent\n", plain.Stdout);
    }

    [Fact]
    public async Task A_subsystem_session_gets_the_forwarded_agent_too()
    {
        SshServerOptions server = InMemoryServer.DefaultServerOptions() with
        {
            AllowAgentForwarding = true,
            Subsystems = new Dictionary<string, SshSubsystemHandler>
            {
                ["agent-list"] = async (subsystem, ct) =>
                {
                    await using SshAgentClient agent = await SshAgentClient.ConnectAsync(subsystem.Environment["SSH_AUTH_SOCK"], TestTimeout.Default, ct);
                    await subsystem.Stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes($"{(await agent.GetIdentitiesAsync(ct)).Count} keys"), ct);
                },
            },
        };
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with { AgentPath = _agent.SocketPath, ForwardAgent = true };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(server, client);

        await using SshChannelStream stream = await pair.Client.OpenSubsystemAsync("agent-list").WithTimeout();
        using var reader = new StreamReader(stream);

        Assert.Equal("2 keys", await reader.ReadToEndAsync().WithTimeout());
    }

    [Fact]
    public async Task Serves_commands_see_the_forwarded_agent()
    {
        await using ServeUnderTest serve = await ServeUnderTest.StartAsync();

        ProcessResult result = await serve.Ssh.WithOptions(ForwardAgent()).RunAsync("ssh-add -L");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(await _agent.SshAddAsync("-L"), result.StdoutText);
    }

    /// <summary>ssh -A to our agent (ssh drops ForwardAgent when it finds no agent through IdentityAgent, which the harness sets to none).</summary>
    private string[] ForwardAgent() => [$"IdentityAgent={_agent.SocketPath}", $"ForwardAgent={_agent.SocketPath}"];

    /// <summary>Lists the forwarded agent's identities with our own agent client (or says there is none).</summary>
    private static async Task ListIdentitiesAsync(SshServerProcess process)
    {
        if (!process.Environment.TryGetValue("SSH_AUTH_SOCK", out string? socket))
        {
            Assert.Null(process.Channel.AgentSocketPath);
            await process.Stdout.WriteLineAsync("no agent");
            await process.ExitAsync(0);
            return;
        }

        Assert.Equal(socket, process.Channel.AgentSocketPath);
        await using SshAgentClient agent = await SshAgentClient.ConnectAsync(socket, TestTimeout.Default);
        foreach (SshAgentIdentity identity in await agent.GetIdentitiesAsync())
        {
            await process.Stdout.WriteLineAsync(identity.PublicKey.ToOpenSshString(identity.Comment));
        }

        await process.ExitAsync(0);
    }
}
