using System.Net;
using System.Net.Sockets;
using System.Text;
using Rx.Ssh.Samples;
using Rx.Ssh.Tests.Forwarding;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Samples;

/// <summary>
/// The eight forwarding client samples (issue 12) against OpenSSH's sshd, with local TCP services
/// started here as destinations: each forwards what it should, prints exactly what samples.md says,
/// and the long-running ones exit 0 when the connection ends. Each test starts its own sshd (on
/// loopback, a free port) and ends the sample's connection by stopping it. The samples listen on
/// 127.0.0.1 (<c>--listen</c>), never on every interface.
/// </summary>
public sealed class ForwardingClientSampleTests
{
    private const string Request = "HEAD / HTTP/1.0\r\n\r\n";

    /// <summary>
    /// local_forwarding_client listens on the port itself, remote_forwarding_client has sshd listen
    /// on it; either way a connection there reaches the destination until the connection ends.
    /// </summary>
    [Theory]
    [InlineData("local_forwarding_client", "through -L")]
    [InlineData("remote_forwarding_client", "through -R")]
    public async Task A_forwarding_client_forwards_its_listen_port_to_the_destination_until_the_connection_ends(string sample, string message)
    {
        await using TestTcpService echo = TestTcpService.Echo();
        await using SshdServer sshd = await SshdServer.StartAsync();
        int port = FreePort();
        var run = SampleUnderTest.Start(sample, Context(sshd) with { ListenPort = port, DestHost = "127.0.0.1", DestPort = echo.Port });

        using (Socket client = await run.ConnectWhenListeningAsync(port))
        {
            Assert.Equal(message, await LocalForwardingInteropTests.EchoOnceAsync(client, message));
        }

        await sshd.DisposeAsync();
        Assert.Equal(new ClientSampleRun(0, "", ""), await run.ExitAsync());
    }

    [Fact]
    public async Task LocalForwardingClient_reports_a_port_already_taken_as_a_failed_connection()
    {
        using Socket taken = BindLoopback(0);
        await using SshdServer sshd = await SshdServer.StartAsync();

        ClientSampleRun run = await ClientSampleRun.RunAsync("local_forwarding_client", Context(sshd) with { ListenPort = Port(taken) });

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.StartsWith("SSH connection failed: ", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task LocalForwardingClient2_prints_the_port_it_got_then_forwards_it()
    {
        await using TestTcpService echo = TestTcpService.Echo();
        await using SshdServer sshd = await SshdServer.StartAsync();
        var run = SampleUnderTest.Start("local_forwarding_client2", Context(sshd) with { DestHost = "127.0.0.1", DestPort = echo.Port });

        string line = await run.Out.WaitForLineAsync(l => l.StartsWith("Listening on port ", StringComparison.Ordinal));
        int port = int.Parse(line["Listening on port ".Length..^"...".Length], System.Globalization.CultureInfo.InvariantCulture);
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WithTimeout();
            Assert.Equal("port 0", await LocalForwardingInteropTests.EchoOnceAsync(client, "port 0"));
        }

        await sshd.DisposeAsync();
        Assert.Equal(new ClientSampleRun(0, $"Listening on port {port}...\n", ""), await run.ExitAsync());
    }

    [Fact]
    public async Task RemoteForwardingClient2_forwards_connections_from_localhost_and_refuses_the_others()
    {
        await using TestTcpService echo = TestTcpService.Echo();
        await using SshdServer sshd = await SshdServer.StartAsync();
        int port = FreePort();
        var run = SampleUnderTest.Start("remote_forwarding_client2", Context(sshd) with { ListenPort = port, DestHost = "127.0.0.1", DestPort = echo.Port });

        using (Socket client = await run.ConnectWhenListeningAsync(port))
        {
            Assert.Equal("from 127.0.0.1", await LocalForwardingInteropTests.EchoOnceAsync(client, "from 127.0.0.1"));
        }

        // Another loopback address is another origin: sshd reports 127.0.0.2 and the sample refuses it.
        using (var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            other.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
            await other.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WithTimeout();
            Assert.Equal(0, await LocalForwardingInteropTests.ReceiveUntilClosedAsync(other).WithTimeout());
        }

        await sshd.Log.WaitForLineAsync("open failed: administratively prohibited: Connections only allowed from localhost");
        Assert.Equal(1, echo.Accepted);
        await sshd.DisposeAsync();
        Assert.Equal(new ClientSampleRun(0, "", ""), await run.ExitAsync());
    }

    [Theory]
    [InlineData("direct_client")]
    [InlineData("stream_direct_client")]
    public async Task DirectClients_send_the_request_and_EOF_and_print_every_byte_of_the_reply(string name)
    {
        // Replies "got N" once it has read to EOF: proves the request went out whole and EOF after it.
        await using TestTcpService service = TestTcpService.CountThenReply();
        await using SshdServer sshd = await SshdServer.StartAsync();
        var bytes = new MemoryStream();

        ClientSampleRun run = await ClientSampleRun.RunAsync(name, Context(sshd) with { DestHost = "127.0.0.1", DestPort = service.Port, OutBytes = bytes });

        Assert.Equal(new ClientSampleRun(0, "", ""), run);
        Assert.Equal($"got {Request.Length}", Encoding.ASCII.GetString(bytes.ToArray()));
    }

    [Theory]
    [InlineData("direct_client")]
    [InlineData("stream_direct_client")]
    public async Task DirectClients_report_a_refused_channel_as_a_failed_connection(string name)
    {
        await using SshdServer sshd = await SshdServer.StartAsync();

        ClientSampleRun run = await ClientSampleRun.RunAsync(name, Context(sshd) with { DestHost = "127.0.0.1", DestPort = FreePort(), OutBytes = new MemoryStream() });

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.StartsWith("SSH connection failed: ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListeningClient_prints_each_connection_and_echoes_it()
    {
        await using SshdServer sshd = await SshdServer.StartAsync();
        int port = FreePort();
        var run = SampleUnderTest.Start("listening_client", Context(sshd) with { ListenPort = port });

        int from;
        using (Socket client = await run.ConnectWhenListeningAsync(port))
        {
            from = Port(client, local: true);
            Assert.Equal("echo me", await LocalForwardingInteropTests.EchoOnceAsync(client, "echo me"));
        }

        await sshd.DisposeAsync();
        Assert.Equal(new ClientSampleRun(0, $"Connection received from 127.0.0.1, port {from}\n", ""), await run.ExitAsync());
    }

    [Fact]
    public async Task StreamListeningClient_echoes_each_connection_and_prints_nothing()
    {
        await using SshdServer sshd = await SshdServer.StartAsync();
        int port = FreePort();
        var run = SampleUnderTest.Start("stream_listening_client", Context(sshd) with { ListenPort = port });

        using (Socket client = await run.ConnectWhenListeningAsync(port))
        {
            string big = new('x', 100_000); // more than one 8192-byte read
            Assert.Equal(big, await LocalForwardingInteropTests.EchoOnceAsync(client, big));
        }

        await sshd.DisposeAsync();
        Assert.Equal(new ClientSampleRun(0, "", ""), await run.ExitAsync());
    }

    [Theory]
    [InlineData("listening_client")]
    [InlineData("stream_listening_client")]
    public async Task ListeningClients_say_the_listener_could_not_be_opened_when_the_port_is_taken(string name)
    {
        // sshd binds the loopback addresses it can and succeeds with one: take the port on both.
        using Socket taken = BindLoopback(0);
        using Socket? taken6 = Socket.OSSupportsIPv6 ? BindLoopback(Port(taken), IPAddress.IPv6Loopback) : null;
        await using SshdServer sshd = await SshdServer.StartAsync();

        ClientSampleRun run = await ClientSampleRun.RunAsync(name, Context(sshd) with { ListenPort = Port(taken) });

        Assert.Equal(new ClientSampleRun(1, "", "Listener couldn't be opened.\n"), run);
    }

    private static SampleContext Context(SshdServer sshd) =>
        ClientSampleRun.Context(sshd.Port, sshd.KnownHostsPath, TestKeys.Ed25519.PrivateKeyPath, SshdServer.UserName) with { Listen = "127.0.0.1" };

    private static int FreePort()
    {
        using Socket socket = BindLoopback(0);
        return Port(socket);
    }

    private static Socket BindLoopback(int port, IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, port));
        socket.Listen();
        return socket;
    }

    private static int Port(Socket socket, bool local = true) => ((IPEndPoint)(local ? socket.LocalEndPoint : socket.RemoteEndPoint)!).Port;
}
