using Rx.Ssh.Tests.External;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Connection;

/// <summary>
/// The channel-request registry (issue 11): session-channel requests that are not built in go to
/// handlers registered by name, on both roles, answered asynchronously and in request order; unknown
/// ones are still refused. The handlers live in Rx.Ssh.Tests.External (public surface only).
/// </summary>
public sealed class ChannelRequestRegistryTests
{
    private const string AgentRequest = "auth-agent-req@openssh.com";

    [Fact]
    public async Task A_server_handler_from_another_assembly_answers_auth_agent_req_and_unknown_requests_still_fail()
    {
        var agent = new RecordingChannelRequestHandler();
        SshServerOptions server = InMemoryServer.DefaultServerOptions(p => p.Stdin.ReadToEndAsync()) with
        {
            ChannelRequestHandlers = new Dictionary<string, SshChannelRequestHandler> { [AgentRequest] = agent.HandleAsync },
        };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(server);
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("waits").WithTimeout();

        Assert.True(await process.SendRequestAsync(AgentRequest, ReadOnlyMemory<byte>.Empty).WithTimeout());
        Assert.False(await process.SendRequestAsync("x-unknown@rx-ssh.test", new byte[] { 1, 2, 3 }).WithTimeout());

        SshChannelRequest seen = Assert.Single(agent.Seen);
        Assert.Equal(AgentRequest, seen.Name);
        Assert.Equal("session", seen.ChannelType);
        Assert.True(seen.WantReply);
        Assert.True(seen.Data.IsEmpty);
        Assert.IsType<SshServerConnection>(seen.Connection);
    }

    [Fact]
    public async Task Replies_keep_request_order_while_a_handler_is_slow()
    {
        var slow = new RecordingChannelRequestHandler(answer: true, gated: true);
        SshServerOptions server = InMemoryServer.DefaultServerOptions(p => p.Stdin.ReadToEndAsync()) with
        {
            ChannelRequestHandlers = new Dictionary<string, SshChannelRequestHandler> { ["slow@rx-ssh.test"] = slow.HandleAsync },
        };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(server);
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("waits").WithTimeout();

        Task<bool> first = process.SendRequestAsync("slow@rx-ssh.test", ReadOnlyMemory<byte>.Empty);
        await slow.First.WithTimeout();
        Task<bool> second = process.SendRequestAsync("x-unknown@rx-ssh.test", ReadOnlyMemory<byte>.Empty);

        // The unknown request's FAILURE must wait behind the slow handler's answer: replies carry no
        // request id, so one sent out of order would be matched to the first request (true ↔ false).
        slow.Gate.SetResult();

        Assert.True(await first.WithTimeout());
        Assert.False(await second.WithTimeout());
    }

    [Fact]
    public async Task A_client_handler_registered_on_the_connection_answers_a_request_from_the_server()
    {
        var seen = new RecordingChannelRequestHandler();
        var answered = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        SshServerOptions server = InMemoryServer.DefaultServerOptions() with
        {
            HandlerFactory = () => new AskingHandler(answered),
        };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(server);
        using IDisposable registration = pair.Client.RegisterChannelRequestHandler("ping@rx-ssh.test", seen.HandleAsync);

        Task<SshCompletedProcess> run = pair.Client.RunAsync("asks");

        Assert.True(await answered.Task.WithTimeout());
        SshChannelRequest request = await seen.First.WithTimeout();
        Assert.Equal("ping@rx-ssh.test", request.Name);
        Assert.IsType<SshClientConnection>(request.Connection);
        Assert.Equal(0, (await run.WithTimeout()).ExitStatus);
    }

    private sealed class AskingHandler(TaskCompletionSource<bool> answered) : SshServerHandler
    {
        public override SshServerSession? SessionRequested(SshServerConnection connection) => new AskingSession(answered);
    }

    /// <summary>Sends a request to the client once the command starts, then exits with the answer (0 when true).</summary>
    private sealed class AskingSession(TaskCompletionSource<bool> answered) : SshServerSession
    {
        public override bool ExecRequested(string command) => true;

        public override void SessionStarted() => _ = AskAsync();

        private async Task AskAsync()
        {
            bool ok = await Channel.SendRequestAsync("ping@rx-ssh.test", ReadOnlyMemory<byte>.Empty);
            answered.TrySetResult(ok);
            Channel.Exit(ok ? 0 : 1);
        }
    }
}
