using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Rx.Ssh.Keys;
using Rx.Ssh.Samples.Serve;
using Rx.Ssh.Tests.Forwarding;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Server.Forwarding;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Samples;

/// <summary>
/// OpenSSH's ssh forwarding through serve (issue 12): <c>-W</c> and <c>-D</c> (SOCKS5, driven by a
/// small client here) to a TCP echo service, and UNIX socket paths both ways (<c>-L path:path</c>,
/// <c>-R path:path</c>).
/// </summary>
public sealed class ServeForwardingTests : IAsyncLifetime
{
    private readonly SshPrivateKey _hostKey = SshPrivateKey.Generate("ssh-ed25519");
    private readonly SshPrivateKey _userKey = SshPrivateKey.Generate("ssh-ed25519");
    private readonly string _directory = Directory.CreateTempSubdirectory("rxssh-serve-fwd-").FullName;
    private SshListener? _server;

    public async Task InitializeAsync()
    {
        _userKey.Save(Path.Combine(_directory, "id"));
        _server = await ServeServer.StartAsync(new ServeSettings
        {
            Port = 0,
            HostKeys = [_hostKey],
            AuthorizedKeys = AuthorizedKeysFile.Parse(_userKey.PublicKey.ToOpenSshString("test") + "\n"),
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisconnectAllAsync().WithTimeout();
            await _server.DisposeAsync();
        }

        _hostKey.Dispose();
        _userKey.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Ssh_W_reaches_a_tcp_service_and_passes_the_half_close_on()
    {
        await using var echo = new EchoService();

        ProcessResult result = await Ssh("-W", $"127.0.0.1:{echo.Port}").RunAsync(null, "through serve\n"u8.ToArray());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("through serve\n", result.StdoutText);
        Assert.Equal(1, echo.Accepted);
    }

    [Fact]
    public async Task Ssh_D_socks5_by_name_and_by_address_reaches_a_tcp_service()
    {
        await using var echo = new EchoService();
        int socksPort = EchoService.ClosedPort();
        await using var ssh = BackgroundSsh.Start(Ssh("-N", "-D", $"127.0.0.1:{socksPort}").WithOptions("LogLevel=DEBUG1", "ExitOnForwardFailure=yes"));
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
        string local = Path.Combine(_directory, "local.sock");
        string remote = Path.Combine(_directory, "remote.sock");
        await using TestTcpService echo = TestTcpService.Unix(remote, TestTcpService.EchoAsync);
        await using var ssh = BackgroundSsh.Start(Ssh("-N", "-L", $"{local}:{remote}").WithOptions("LogLevel=DEBUG1", "ExitOnForwardFailure=yes"));
        await ssh.WaitForLineAsync("Entering interactive session");

        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(local)).WithTimeout();
        Assert.Equal("unix ssh -L", await LocalForwardingInteropTests.EchoOnceAsync(client, "unix ssh -L"));
        Assert.Equal(1, echo.Accepted);
    }

    [Fact]
    public async Task Ssh_R_has_the_server_listen_on_a_unix_socket_and_forward_to_a_local_one()
    {
        string local = Path.Combine(_directory, "local.sock");
        string remote = Path.Combine(_directory, "remote.sock");
        await using TestTcpService echo = TestTcpService.Unix(local, TestTcpService.EchoAsync);
        await using var ssh = BackgroundSsh.Start(Ssh("-N", "-R", $"{remote}:{local}").WithOptions("LogLevel=DEBUG1", "ExitOnForwardFailure=yes"));
        await ssh.WaitForLineAsync($"remote forward success for: listen {Regex.Escape(remote)}");

        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(remote)).WithTimeout();
        Assert.Equal("unix ssh -R", await LocalForwardingInteropTests.EchoOnceAsync(client, "unix ssh -R"));
        Assert.Equal(1, echo.Accepted);
    }

    private OpenSshClient Ssh(params string[] arguments) =>
        new() { Port = _server!.Port, IdentityFile = Path.Combine(_directory, "id"), Arguments = arguments };
}
