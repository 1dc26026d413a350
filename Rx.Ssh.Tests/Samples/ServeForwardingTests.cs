using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Rx.Ssh.Tests.Forwarding;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Server.Forwarding;

namespace Rx.Ssh.Tests.Samples;

/// <summary>
/// OpenSSH's ssh forwarding through serve (issue 12): <c>-D</c> (SOCKS5, driven by a small client
/// here) to a TCP echo service, and UNIX socket paths both ways (<c>-L path:path</c>,
/// <c>-R path:path</c>). <c>-W</c> and <c>-R</c> over TCP are in <c>SampleInteropTests</c>.
/// </summary>
public sealed class ServeForwardingTests
{
    [Fact]
    public async Task Ssh_D_socks5_by_name_and_by_address_reaches_a_tcp_service()
    {
        await using var echo = new EchoService();
        await using ServeUnderTest serve = await ServeUnderTest.StartAsync();
        int socksPort = EchoService.ClosedPort();
        await using var ssh = BackgroundSsh.Start(Ssh(serve, "-N", "-D", $"127.0.0.1:{socksPort}").WithOptions("LogLevel=DEBUG1", "ExitOnForwardFailure=yes"));
        await ssh.WaitForLineAsync("Entering interactive session"); // logged once the SOCKS listener is bound
        var socks = new IPEndPoint(IPAddress.Loopback, socksPort);
        byte[] port = SocksForwardingInteropTests.Port((ushort)echo.Port);

        using (Socket byName = await SocksForwardingInteropTests.ConnectAsync(socks))
        {
            await SocksForwardingInteropTests.Socks5GreetAsync(byName);
            await SocksForwardingInteropTests.SendAsync(byName, [5, 1, 0, 3, 9, .. "localhost"u8, .. port]);
            Assert.Equal(0, (await SocksForwardingInteropTests.ReceiveExactAsync(byName, 10))[1]);
            Assert.Equal("socks5 by name", await LocalForwardingInteropTests.EchoOnceAsync(byName, "socks5 by name"));
        }

        using (Socket byAddress = await SocksForwardingInteropTests.ConnectAsync(socks))
        {
            await SocksForwardingInteropTests.Socks5GreetAsync(byAddress);
            await SocksForwardingInteropTests.SendAsync(byAddress, [5, 1, 0, 1, 127, 0, 0, 1, .. port]);
            Assert.Equal(0, (await SocksForwardingInteropTests.ReceiveExactAsync(byAddress, 10))[1]);
            Assert.Equal("socks5 by address", await LocalForwardingInteropTests.EchoOnceAsync(byAddress, "socks5 by address"));
        }

        Assert.Equal(2, echo.Accepted);
    }

    [Fact]
    public async Task Ssh_L_forwards_a_local_unix_socket_to_a_unix_socket_on_the_server()
    {
        await using ServeUnderTest serve = await ServeUnderTest.StartAsync();
        string local = Path.Combine(serve.Directory, "local.sock");
        string remote = Path.Combine(serve.Directory, "remote.sock");
        await using TestTcpService echo = TestTcpService.Unix(remote, TestTcpService.EchoAsync);
        await using var ssh = BackgroundSsh.Start(Ssh(serve, "-N", "-L", $"{local}:{remote}").WithOptions("LogLevel=DEBUG1", "ExitOnForwardFailure=yes"));
        await ssh.WaitForLineAsync("Entering interactive session");

        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(local)).WithTimeout();
        Assert.Equal("unix ssh -L", await LocalForwardingInteropTests.EchoOnceAsync(client, "unix ssh -L"));
        Assert.Equal(1, echo.Accepted);
    }

    [Fact]
    public async Task Ssh_R_has_the_server_listen_on_a_unix_socket_and_forward_to_a_local_one()
    {
        await using ServeUnderTest serve = await ServeUnderTest.StartAsync();
        string local = Path.Combine(serve.Directory, "local.sock");
        string remote = Path.Combine(serve.Directory, "remote.sock");
        await using TestTcpService echo = TestTcpService.Unix(local, TestTcpService.EchoAsync);
        await using var ssh = BackgroundSsh.Start(Ssh(serve, "-N", "-R", $"{remote}:{local}").WithOptions("LogLevel=DEBUG1", "ExitOnForwardFailure=yes"));
        await ssh.WaitForLineAsync($"remote forward success for: listen {Regex.Escape(remote)}");

        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(remote)).WithTimeout();
        Assert.Equal("unix ssh -R", await LocalForwardingInteropTests.EchoOnceAsync(client, "unix ssh -R"));
        Assert.Equal(1, echo.Accepted);
    }

    private static OpenSshClient Ssh(ServeUnderTest serve, params string[] arguments) => serve.Ssh with { Arguments = arguments };
}
