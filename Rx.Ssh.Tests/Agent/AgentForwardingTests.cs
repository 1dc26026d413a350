using System.Buffers.Binary;
using System.Collections.Concurrent;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Interop;

namespace Rx.Ssh.Tests.Agent;

/// <summary>
/// Agent forwarding, client side (<see cref="SshClientOptions.ForwardAgent"/>): against sshd, <c>ssh-add</c>
/// run on the server lists the keys of our local ssh-agent; in memory, our server sees the request and
/// its agent channel reaches the agent, and without the option the client refuses agent channels.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AgentForwardingTests : IAsyncLifetime
{
    private OpenSshAgent _agent = null!;

    public async Task InitializeAsync()
    {
        _agent = await OpenSshAgent.StartAsync();
        await _agent.SshAddAsync(TestKeys.Ed25519.PrivateKeyPath);
        await _agent.SshAddAsync(TestKeys.Rsa2048.PrivateKeyPath);
    }

    public Task DisposeAsync() => _agent.DisposeAsync().AsTask();

    [Fact]
    public async Task Ssh_add_on_the_sshd_side_lists_our_agents_keys()
    {
        await using SshdServer sshd = await SshdServer.StartAsync();
        SshClientOptions options = ClientInterop.Options(sshd) with { AgentPath = _agent.SocketPath, ForwardAgent = true };
        await using SshClientConnection connection = await ClientInterop.ConnectAsync(sshd, options);

        SshCompletedProcess remote = await connection.RunAsync("ssh-add -L && ssh-add -l").WaitAsync(TestTimeout.Long);

        Assert.True(remote.ExitStatus == 0, remote.Stderr);
        string local = await _agent.SshAddAsync("-L") + await _agent.SshAddAsync("-l");
        Assert.Equal(local, remote.Stdout);
        Assert.Contains(TestKeys.Ed25519.PublicKeyBase64, remote.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_ForwardAgent_the_sshd_side_has_no_agent()
    {
        await using SshdServer sshd = await SshdServer.StartAsync();
        SshClientOptions options = ClientInterop.Options(sshd) with { AgentPath = _agent.SocketPath };
        await using SshClientConnection connection = await ClientInterop.ConnectAsync(sshd, options);

        SshCompletedProcess remote = await connection.RunAsync("echo \"[$SSH_AUTH_SOCK]\"; ssh-add -l").WaitAsync(TestTimeout.Long);

        Assert.Equal("[]\n", remote.Stdout);
        Assert.Equal(2, remote.ExitStatus); // ssh-add: cannot connect to an agent
    }

    [Fact]
    public async Task Our_server_sees_the_request_and_its_agent_channel_reaches_the_local_agent()
    {
        var requests = new ConcurrentQueue<string>();
        SshServerOptions server = InMemoryServer.DefaultServerOptions(async process => await process.ExitAsync(0)) with
        {
            ChannelRequestHandlers = new Dictionary<string, SshChannelRequestHandler>
            {
                ["auth-agent-req@openssh.com"] = (request, _) =>
                {
                    requests.Enqueue($"{request.Name} {request.WantReply} {request.Data.Length}");
                    return ValueTask.FromResult(true);
                },
            },
        };
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with { AgentPath = _agent.SocketPath, ForwardAgent = true };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(server, client);

        await pair.Client.RunAsync("anything").WaitAsync(TestTimeout.Default);
        await using SshChannelStream agent = await pair.Server.OpenChannelAsync("auth-agent@openssh.com", ReadOnlyMemory<byte>.Empty).WithTimeout();
        await agent.WriteAsync(FakeAgent.Frame(11)); // SSH_AGENTC_REQUEST_IDENTITIES
        byte[] header = new byte[4];
        await agent.ReadExactlyAsync(header).AsTask().WithTimeout();
        byte[] reply = new byte[BinaryPrimitives.ReadUInt32BigEndian(header)];
        await agent.ReadExactlyAsync(reply).AsTask().WithTimeout();

        Assert.Equal(["auth-agent-req@openssh.com False 0"], requests);
        Assert.Equal(12, reply[0]); // SSH_AGENT_IDENTITIES_ANSWER
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(reply.AsSpan(1)));
    }

    [Fact]
    public async Task Without_ForwardAgent_the_client_refuses_agent_channels_and_sends_no_request()
    {
        var requests = new ConcurrentQueue<string>();
        SshServerOptions server = InMemoryServer.DefaultServerOptions(async process => await process.ExitAsync(0)) with
        {
            ChannelRequestHandlers = new Dictionary<string, SshChannelRequestHandler>
            {
                ["auth-agent-req@openssh.com"] = (request, _) =>
                {
                    requests.Enqueue(request.Name);
                    return ValueTask.FromResult(true);
                },
            },
        };
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with { AgentPath = _agent.SocketPath };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(server, client);

        await pair.Client.RunAsync("anything").WaitAsync(TestTimeout.Default);
        var refused = await Assert.ThrowsAsync<SshChannelOpenException>(() => pair.Server.OpenChannelAsync("auth-agent@openssh.com", ReadOnlyMemory<byte>.Empty).WithTimeout());

        Assert.Equal(ChannelOpenFailureReason.UnknownChannelType, refused.Reason);
        Assert.Empty(requests);
    }

    [Fact]
    public async Task With_ForwardAgent_agent_channels_are_refused_until_a_session_asked_for_forwarding()
    {
        // A jump host, say: a connection that never opens a session never asked, so its server may not reach the agent.
        SshServerOptions server = InMemoryServer.DefaultServerOptions(async process => await process.ExitAsync(0));
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with { AgentPath = _agent.SocketPath, ForwardAgent = true };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(server, client);

        var refused = await Assert.ThrowsAsync<SshChannelOpenException>(() => pair.Server.OpenChannelAsync("auth-agent@openssh.com", ReadOnlyMemory<byte>.Empty).WithTimeout());
        Assert.Equal(ChannelOpenFailureReason.UnknownChannelType, refused.Reason);

        await pair.Client.RunAsync("anything").WaitAsync(TestTimeout.Default);
        await using SshChannelStream agent = await pair.Server.OpenChannelAsync("auth-agent@openssh.com", ReadOnlyMemory<byte>.Empty).WithTimeout();
    }

    [Fact]
    public async Task A_forwarded_channel_to_an_agent_that_is_gone_is_refused()
    {
        SshServerOptions server = InMemoryServer.DefaultServerOptions(async process => await process.ExitAsync(0));
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with { AgentPath = Path.Combine(_agent.Directory, "gone.sock"), ForwardAgent = true };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(server, client);
        await pair.Client.RunAsync("anything").WaitAsync(TestTimeout.Default);

        var refused = await Assert.ThrowsAsync<SshChannelOpenException>(() => pair.Server.OpenChannelAsync("auth-agent@openssh.com", ReadOnlyMemory<byte>.Empty).WithTimeout());

        Assert.Equal(ChannelOpenFailureReason.ConnectFailed, refused.Reason);
    }
}
