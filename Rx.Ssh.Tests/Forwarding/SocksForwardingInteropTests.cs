using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Interop;

namespace Rx.Ssh.Tests.Forwarding;

/// <summary>Dynamic forwarding (ssh -D) through OpenSSH's sshd with a small SOCKS client written here (issue 12).</summary>
[Collection(SshdCollection.Name)]
public sealed class SocksForwardingInteropTests
{
    private readonly SshdServer _server;

    public SocksForwardingInteropTests(SshdFixture fixture) => _server = fixture.Server;

    [Fact]
    public async Task Socks4_socks4a_and_socks5_requests_reach_the_destination()
    {
        await using TestTcpService echo = TestTcpService.Echo();
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        using var events = new ObservableCollector<SshLocalForwardEvent>(conn.ForwardSocks("127.0.0.1", 0));
        var started = Assert.IsType<SshLocalForwardStarted>(await events.NextAsync());
        ushort port = (ushort)echo.Port;

        using (Socket s4 = await ConnectAsync(started.LocalEndPoint))
        {
            await SendAsync(s4, [4, 1, .. Port(port), 127, 0, 0, 1, (byte)'u', 0]);
            Assert.Equal(new byte[] { 0, 0x5A }, (await ReceiveExactAsync(s4, 8))[..2]);
            Assert.Equal("socks4", await LocalForwardingInteropTests.EchoOnceAsync(s4, "socks4"));
        }

        using (Socket s4a = await ConnectAsync(started.LocalEndPoint))
        {
            await SendAsync(s4a, [4, 1, .. Port(port), 0, 0, 0, 1, 0, .. "127.0.0.1"u8, 0]);
            Assert.Equal(0x5A, (await ReceiveExactAsync(s4a, 8))[1]);
            Assert.Equal("socks4a", await LocalForwardingInteropTests.EchoOnceAsync(s4a, "socks4a"));
        }

        using (Socket s5 = await ConnectAsync(started.LocalEndPoint))
        {
            await Socks5GreetAsync(s5);
            await SendAsync(s5, [5, 1, 0, 3, 9, .. "127.0.0.1"u8, .. Port(port)]);
            Assert.Equal(0, (await ReceiveExactAsync(s5, 10))[1]);
            Assert.Equal("socks5 domain", await LocalForwardingInteropTests.EchoOnceAsync(s5, "socks5 domain"));
        }

        using (Socket s5ip = await ConnectAsync(started.LocalEndPoint))
        {
            await Socks5GreetAsync(s5ip);
            await SendAsync(s5ip, [5, 1, 0, 1, 127, 0, 0, 1, .. Port(port)]);
            Assert.Equal(0, (await ReceiveExactAsync(s5ip, 10))[1]);
            Assert.Equal("socks5 ipv4", await LocalForwardingInteropTests.EchoOnceAsync(s5ip, "socks5 ipv4"));
        }
    }

    [Fact]
    public async Task A_socks5_request_with_an_ipv6_address_reaches_the_destination()
    {
        await using TestTcpService echo = TestTcpService.EchoOnIPv6Loopback();
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        using var events = new ObservableCollector<SshLocalForwardEvent>(conn.ForwardSocks("127.0.0.1", 0));
        var started = Assert.IsType<SshLocalForwardStarted>(await events.NextAsync());

        using Socket s5 = await ConnectAsync(started.LocalEndPoint);
        await Socks5GreetAsync(s5);

        // ATYP 4: sixteen address bytes (::1), then the port.
        await SendAsync(s5, [5, 1, 0, 4, .. IPAddress.IPv6Loopback.GetAddressBytes(), .. Port((ushort)echo.Port)]);
        byte[] reply = await ReceiveExactAsync(s5, 4);
        Assert.Equal(new byte[] { 5, 0, 0 }, reply[..3]);
        await ReceiveExactAsync(s5, reply[3] switch { 1 => 6, 4 => 18, _ => throw new Xunit.Sdk.XunitException($"Unexpected bound address type {reply[3]}.") });
        Assert.Equal("socks5 ipv6", await LocalForwardingInteropTests.EchoOnceAsync(s5, "socks5 ipv6"));
    }

    [Fact]
    public async Task Garbage_and_unsupported_requests_get_an_error_reply_and_are_closed_and_nothing_else_is_affected()
    {
        await using TestTcpService echo = TestTcpService.Echo();
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        ushort refusedPort = (ushort)((IPEndPoint)closed.LocalEndPoint!).Port;
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        using var events = new ObservableCollector<SshLocalForwardEvent>(conn.ForwardSocks("127.0.0.1", 0));
        var started = Assert.IsType<SshLocalForwardStarted>(await events.NextAsync());

        using (Socket garbage = await ConnectAsync(started.LocalEndPoint))
        {
            await SendAsync(garbage, "GET / HTTP/1.0\r\n\r\n"u8.ToArray());
            Assert.Equal(0, await LocalForwardingInteropTests.ReceiveUntilClosedAsync(garbage).WithTimeout());
        }

        using (Socket bind = await ConnectAsync(started.LocalEndPoint))
        {
            await Socks5GreetAsync(bind);
            await SendAsync(bind, [5, 2, 0, 1, 127, 0, 0, 1, 0, 80]); // BIND
            Assert.Equal(7, (await ReceiveExactAsync(bind, 10))[1]); // command not supported
            Assert.Equal(0, await LocalForwardingInteropTests.ReceiveUntilClosedAsync(bind).WithTimeout());
        }

        using (Socket refused = await ConnectAsync(started.LocalEndPoint))
        {
            await Socks5GreetAsync(refused);
            await SendAsync(refused, [5, 1, 0, 1, 127, 0, 0, 1, .. Port(refusedPort)]);
            Assert.Equal(5, (await ReceiveExactAsync(refused, 10))[1]); // connection refused
        }

        using (Socket s4bad = await ConnectAsync(started.LocalEndPoint))
        {
            await SendAsync(s4bad, [4, 2, 0, 80, 127, 0, 0, 1, 0]); // SOCKS4 BIND
            Assert.Equal(0x5B, (await ReceiveExactAsync(s4bad, 8))[1]);
        }

        using (Socket good = await ConnectAsync(started.LocalEndPoint))
        {
            await Socks5GreetAsync(good);
            await SendAsync(good, [5, 1, 0, 1, 127, 0, 0, 1, .. Port((ushort)echo.Port)]);
            Assert.Equal(0, (await ReceiveExactAsync(good, 10))[1]);
            Assert.Equal("still fine", await LocalForwardingInteropTests.EchoOnceAsync(good, "still fine"));
        }
    }

    internal static byte[] Port(ushort port)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, port);
        return bytes;
    }

    internal static async Task<Socket> ConnectAsync(EndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endPoint).WithTimeout();
        return socket;
    }

    internal static async Task Socks5GreetAsync(Socket socket)
    {
        await SendAsync(socket, [5, 1, 0]);
        Assert.Equal(new byte[] { 5, 0 }, await ReceiveExactAsync(socket, 2));
    }

    internal static Task SendAsync(Socket socket, byte[] data) => TestTcpService.SendAllAsync(socket, data, CancellationToken.None).WithTimeout();

    internal static async Task<byte[]> ReceiveExactAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        int read = 0;
        while (read < count)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(read)).AsTask().WithTimeout();
            Assert.NotEqual(0, n);
            read += n;
        }

        return buffer;
    }
}
