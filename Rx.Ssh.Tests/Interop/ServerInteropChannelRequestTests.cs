using Rx.Ssh.Tests.External;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Keys;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// OpenSSH's <c>ssh -A</c> against the Rx.Ssh server: its <c>auth-agent-req@openssh.com</c> session
/// request reaches a channel-request handler registered from another assembly (issue 11), and the
/// command still runs.
/// </summary>
public sealed class ServerInteropChannelRequestTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Ssh_A_sends_auth_agent_req_to_the_registered_handler()
    {
        var agent = new RecordingChannelRequestHandler();
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(new SshServerOptions
        {
            AuthorizedKeys = _ => AuthorizedKeysFile.Parse(TestKeys.Ed25519.PublicKeyLine + "\n"),
            AuthFailureDelay = TimeSpan.Zero,
            ChannelRequestHandlers = new Dictionary<string, SshChannelRequestHandler> { ["auth-agent-req@openssh.com"] = agent.HandleAsync },
            ProcessHandler = p => p.Stdout.WriteAsync("ran\n"),
        });

        // ForwardAgent takes a socket path (OpenSSH 8.2+); ssh asks for forwarding only when it can reach an
        // agent there, so a listening socket stands in for one (nothing is forwarded: no channel is opened).
        string socketPath = _dir.File("agent.sock");
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        listener.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath));
        listener.Listen(4);
        ProcessResult result = await server.Client().WithOptions("ForwardAgent=" + socketPath).RunAsync("anything");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("ran\n", result.StdoutText);
        SshChannelRequest request = await agent.First.WithTimeout();
        Assert.Equal("auth-agent-req@openssh.com", request.Name);
        Assert.Equal("session", request.ChannelType);
        Assert.False(request.WantReply);
    }
}
