using System.Security.Cryptography;
using Rx.Ssh.Samples;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Server.Forwarding;

namespace Rx.Ssh.Tests.Samples;

/// <summary>
/// The four forwarding server samples of samples.md (issue 12), run in-process on a loopback port
/// and driven by OpenSSH's ssh: <c>-W</c> and <c>-L</c> through local_forwarding_server to a TCP
/// echo service, <c>-R</c> through remote_forwarding_server, <c>-W host:7</c> against the in-process
/// echo of direct_server and stream_direct_server; every other destination or listen port refused.
/// </summary>
public sealed class ForwardingServerSampleTests : IAsyncLifetime
{
    private readonly EchoService _echo = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _echo.DisposeAsync();

    [Fact]
    public void EveryForwardingServerSampleIsListed()
    {
        string[] names = ["local_forwarding_server", "remote_forwarding_server", "direct_server", "stream_direct_server"];

        Assert.All(names, name => Assert.NotNull(SampleCatalog.Find(name)));
    }

    [Fact]
    public async Task LocalForwardingServer_forwards_ssh_W_to_the_allowed_port()
    {
        await using SampleServer server = await StartAsync("local_forwarding_server", _echo.Port);
        byte[] sent = RandomNumberGenerator.GetBytes(256 * 1024);

        ProcessResult result = await W(server, _echo.Port).RunAsync(null, sent);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(sent, result.Stdout);
        Assert.Equal(1, _echo.Accepted);
    }

    [Fact]
    public async Task LocalForwardingServer_forwards_ssh_L_connections_to_the_allowed_port()
    {
        await using SampleServer server = await StartAsync("local_forwarding_server", _echo.Port);
        int local = EchoService.ClosedPort();
        await using var ssh = BackgroundSsh.Start((server.Ssh() with { Arguments = ["-N", "-L", $"127.0.0.1:{local}:127.0.0.1:{_echo.Port}"] })
            .WithOptions("LogLevel=DEBUG1", "ExitOnForwardFailure=yes"));
        await ssh.WaitForLineAsync("Entering interactive session"); // logged once the local listener is bound

        byte[] sent = RandomNumberGenerator.GetBytes(64 * 1024);
        Assert.Equal(sent, await EchoService.RoundTripAsync(local, sent));
        Assert.Equal(sent[..100], await EchoService.RoundTripAsync(local, sent[..100]));
        Assert.Equal(2, _echo.Accepted);
    }

    [Fact]
    public async Task LocalForwardingServer_refuses_other_ports_naming_the_allowed_one()
    {
        await using var other = new EchoService();
        await using SampleServer server = await StartAsync("local_forwarding_server", _echo.Port);

        ProcessResult result = await W(server, other.Port).RunAsync(null, "nope\n"u8.ToArray());

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"administratively prohibited: Only connections to port {_echo.Port} are allowed", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, other.Accepted);
    }

    [Fact]
    public async Task RemoteForwardingServer_listens_on_the_allowed_port_and_forwards_back_to_the_client()
    {
        int allowed = EchoService.ClosedPort();
        await using SampleServer server = await StartAsync("remote_forwarding_server", allowed);
        await using var ssh = BackgroundSsh.Start((server.Ssh() with { Arguments = ["-N", "-R", $"{allowed}:127.0.0.1:{_echo.Port}"] })
            .WithOptions("LogLevel=DEBUG1", "ExitOnForwardFailure=yes"));
        await ssh.WaitForLineAsync($"remote forward success for: listen {allowed}");

        byte[] sent = RandomNumberGenerator.GetBytes(64 * 1024);
        Assert.Equal(sent, await EchoService.RoundTripAsync(allowed, sent));
        Assert.Equal(1, _echo.Accepted);
    }

    [Fact]
    public async Task RemoteForwardingServer_refuses_any_other_listen_port()
    {
        int allowed = EchoService.ClosedPort();
        int other = EchoService.ClosedPort();
        await using SampleServer server = await StartAsync("remote_forwarding_server", allowed);
        await using var ssh = BackgroundSsh.Start((server.Ssh() with { Arguments = ["-N", "-R", $"{other}:127.0.0.1:{_echo.Port}"] })
            .WithOptions("ExitOnForwardFailure=yes"));

        Assert.NotEqual(0, await ssh.WaitForExitAsync());
        Assert.Contains($"remote port forwarding failed for listen port {other}", ssh.Stderr, StringComparison.Ordinal);
        await ServerForwardingTests.AssertRefusedAsync(other);
    }

    [Fact]
    public async Task RemoteForwardingServer_a_refused_listen_leaves_the_allowed_one_working_on_the_same_connection()
    {
        int allowed = EchoService.ClosedPort();
        int other = EchoService.ClosedPort();
        await using SampleServer server = await StartAsync("remote_forwarding_server", allowed);
        await using var ssh = BackgroundSsh.Start((server.Ssh() with { Arguments = ["-N", "-R", $"{other}:127.0.0.1:{_echo.Port}", "-R", $"{allowed}:127.0.0.1:{_echo.Port}"] })
            .WithOptions("LogLevel=DEBUG1"));
        await ssh.WaitForLineAsync($"remote port forwarding failed for listen port {other}");
        await ssh.WaitForLineAsync($"remote forward success for: listen {allowed}");

        Assert.Equal("still up"u8.ToArray(), await EchoService.RoundTripAsync(allowed, "still up"u8.ToArray()));
        await ServerForwardingTests.AssertRefusedAsync(other);
    }

    [Theory]
    [InlineData("direct_server")]
    [InlineData("stream_direct_server")]
    public async Task DirectServer_echoes_ssh_W_to_port_7_itself_until_eof(string name)
    {
        await using SampleServer server = await SampleServer.StartAsync(name); // port 7 is answered in process: nothing binds it
        byte[] sent = RandomNumberGenerator.GetBytes(1024 * 1024); // more than a window: flow control both ways

        ProcessResult result = await W(server, 7).RunAsync(null, sent);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(sent, result.Stdout);
    }

    [Theory]
    [InlineData("direct_server")]
    [InlineData("stream_direct_server")]
    public async Task DirectServer_with_allow_port_echoes_there_and_refuses_other_ports(string name)
    {
        await using SampleServer server = await StartAsync(name, 2007);

        ProcessResult echoed = await W(server, 2007).RunAsync(null, "ping\n"u8.ToArray());
        ProcessResult refused = await W(server, 7).RunAsync(null, "ping\n"u8.ToArray());

        Assert.True(echoed.ExitCode == 0, echoed.ToString());
        Assert.Equal("ping\n", echoed.StdoutText);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("administratively prohibited: Only echo connections allowed", refused.Stderr, StringComparison.Ordinal);
    }

    private static Task<SampleServer> StartAsync(string name, int allowPort) =>
        SampleServer.StartAsync(name, configure: context => context with { AllowPort = allowPort });

    private static OpenSshClient W(SampleServer server, int port) => server.Ssh() with { Arguments = ["-W", $"127.0.0.1:{port}"] };
}
