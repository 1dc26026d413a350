using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Interop;

namespace Rx.Ssh.Tests.Forwarding;

/// <summary>Remote forwarding (ssh -R) against OpenSSH's sshd, and the matching of forwarded channels against our own server (issue 12).</summary>
[Collection(SshdCollection.Name)]
public sealed class RemoteForwardingTests
{
    private readonly SshdServer _server;

    public RemoteForwardingTests(SshdFixture fixture) => _server = fixture.Server;

    [Fact]
    public async Task Remote_port_zero_is_read_back_a_connection_reaches_the_local_echo_and_disposal_cancels()
    {
        await using TestTcpService echo = TestTcpService.Echo();
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        using var events = new ObservableCollector<SshRemoteForwardEvent>(conn.ForwardRemotePort("127.0.0.1", 0, "127.0.0.1", echo.Port));
        var started = Assert.IsType<SshRemoteForwardStarted>(await events.NextAsync());
        Assert.InRange(started.Port, 1, 65535);
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, started.Port)).WithTimeout();
            Assert.Equal("through -R", await LocalForwardingInteropTests.EchoOnceAsync(client, "through -R"));
        }

        var connection = Assert.IsType<SshRemoteForwardConnection>(await events.NextAsync());
        Assert.Equal("127.0.0.1", connection.OriginatorHost);
        SshForwardResult result = await connection.Completion.WithTimeout();
        Assert.Null(result.Error);
        Assert.Equal(10, result.BytesFromRemote);

        events.Dispose();
        Assert.True(await NoLongerAcceptsAsync(conn, started.Port), "the server kept listening after disposal");
    }

    [Fact]
    public async Task The_subscriber_decides_each_connection_refuse_or_accept_in_process()
    {
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        using var events = new ObservableCollector<SshRemoteForwardEvent>(conn.ListenRemotePort("127.0.0.1", 0));
        var started = Assert.IsType<SshRemoteForwardStarted>(await events.NextAsync());
        var endPoint = new IPEndPoint(IPAddress.Loopback, started.Port);
        using (var refused = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await refused.ConnectAsync(endPoint).WithTimeout();
            var request = Assert.IsType<SshRemoteForwardRequest>(await events.NextAsync());
            Assert.Equal("127.0.0.1", request.OriginatorHost);
            Assert.Equal(((IPEndPoint)refused.LocalEndPoint!).Port, request.OriginatorPort);
            Assert.Equal(started.Port, request.ConnectedPort);
            Assert.True(request.Reject(ChannelOpenFailureReason.AdministrativelyProhibited, "not this one"));
            Assert.True(request.IsDecided);
            Assert.Equal(0, await LocalForwardingInteropTests.ReceiveUntilClosedAsync(refused).WithTimeout());
        }

        using var accepted = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await accepted.ConnectAsync(endPoint).WithTimeout();
        var second = Assert.IsType<SshRemoteForwardRequest>(await events.NextAsync());
        await using SshChannelStream stream = second.Accept();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("handled in-process"));
        await stream.CompleteWritingAsync();
        accepted.Shutdown(SocketShutdown.Send);
        Assert.Equal("handled in-process", await ReceiveTextAsync(accepted).WithTimeout());
    }

    [Fact]
    public async Task A_refused_listen_request_is_a_forwarding_exception_and_the_connection_lives_on()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        int port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        await Assert.ThrowsAsync<SshForwardingException>(async () => await conn.ListenRemotePort("127.0.0.1", port).FirstAsync().ToTask().WithTimeout());
        Assert.Equal("ok\n", (await conn.Run("echo ok").WithTimeout()).Stdout);
    }

    [Fact]
    public async Task The_awaitable_forms_return_once_listening_with_the_allocated_port_and_disposal_cancels()
    {
        await using TestTcpService echo = TestTcpService.Echo();
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        await using (SshRemoteListener forward = await conn.ForwardRemotePortAsync("127.0.0.1", 0, "127.0.0.1", echo.Port).WithTimeout())
        {
            Assert.InRange(forward.Port, 1, 65535);
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, forward.Port)).WithTimeout();
            Assert.Equal("awaitable -R", await LocalForwardingInteropTests.EchoOnceAsync(client, "awaitable -R"));
        }

        SshRemoteListener handled = await conn.ListenRemotePortAsync("127.0.0.1", 0, async (request, ct) =>
        {
            await using SshChannelStream stream = request.Accept();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"from {request.OriginatorHost}"), ct);
        }).WithTimeout();
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, handled.Port)).WithTimeout();
            client.Shutdown(SocketShutdown.Send);
            Assert.Equal("from 127.0.0.1", await ReceiveTextAsync(client).WithTimeout());
        }

        await handled.DisposeAsync().AsTask().WithTimeout();
        await handled.Completion.WithTimeout();
        Assert.True(await NoLongerAcceptsAsync(conn, handled.Port), "the server kept listening after disposal");
    }

    [Fact]
    public async Task The_awaitable_form_throws_the_refusal_and_faults_when_the_connection_ends()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        await Assert.ThrowsAsync<SshForwardingException>(() => conn.ListenRemotePortAsync("127.0.0.1", ((IPEndPoint)taken.LocalEndPoint!).Port, (_, _) => Task.CompletedTask).WithTimeout());

        await using SshRemoteListener listener = await conn.ListenRemotePortAsync("127.0.0.1", 0, (_, _) => Task.CompletedTask).WithTimeout();
        await conn.DisposeAsync();
        await Assert.ThrowsAsync<SshConnectionException>(() => listener.Completion.WithTimeout());
    }

    [Fact]
    public async Task Remote_unix_path_forwards_to_a_local_unix_socket()
    {
        string local = LocalForwardingInteropTests.TempSocketPath();
        string remote = LocalForwardingInteropTests.TempSocketPath();
        await using TestTcpService echo = TestTcpService.Unix(local, TestTcpService.EchoAsync);
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        using var events = new ObservableCollector<SshRemoteForwardEvent>(conn.ForwardRemotePath(remote, local));
        var started = Assert.IsType<SshRemoteForwardStarted>(await events.NextAsync());
        Assert.Equal(remote, started.Path);
        using (var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            await client.ConnectAsync(new UnixDomainSocketEndPoint(remote)).WithTimeout();
            Assert.Equal("unix -R", await LocalForwardingInteropTests.EchoOnceAsync(client, "unix -R"));
        }

        events.Dispose();
        File.Delete(remote);
    }

    [Fact]
    public async Task The_awaitable_unix_forms_return_once_listening_and_disposal_cancels()
    {
        string local = LocalForwardingInteropTests.TempSocketPath();
        string remote = LocalForwardingInteropTests.TempSocketPath();
        string handledPath = LocalForwardingInteropTests.TempSocketPath();
        await using TestTcpService echo = TestTcpService.Unix(local, TestTcpService.EchoAsync);
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        await using (SshRemoteListener forward = await conn.ForwardRemotePathAsync(remote, local).WithTimeout())
        {
            Assert.Equal(remote, forward.Path);
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await client.ConnectAsync(new UnixDomainSocketEndPoint(remote)).WithTimeout();
            Assert.Equal("awaitable unix -R", await LocalForwardingInteropTests.EchoOnceAsync(client, "awaitable unix -R"));
        }

        await using (SshRemoteListener handled = await conn.ListenRemotePathAsync(handledPath, async (request, ct) =>
        {
            await using SshChannelStream stream = request.Accept();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("handled in process"), ct);
        }).WithTimeout())
        {
            Assert.Equal(handledPath, handled.Path);
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await client.ConnectAsync(new UnixDomainSocketEndPoint(handledPath)).WithTimeout();
            Assert.Equal("handled in process", await ReceiveTextAsync(client).WithTimeout());
        }

        // The cancels went out before this round trip's reply (replies come in order).
        await conn.SendGlobalRequestAsync("keepalive@openssh.com", ReadOnlyMemory<byte>.Empty).WithTimeout();
        using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            await Assert.ThrowsAnyAsync<SocketException>(async () => await probe.ConnectAsync(new UnixDomainSocketEndPoint(remote)).WithTimeout());
        }

        File.Delete(remote);
        File.Delete(handledPath);
    }

    internal static async Task<bool> NoLongerAcceptsAsync(SshConnection conn, int port)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            // A global request round trip: replies come in order, so the cancel sent before it is done.
            await conn.SendGlobalRequestAsync("keepalive@openssh.com", ReadOnlyMemory<byte>.Empty).WithTimeout();
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WithTimeout();
            }
            catch (SocketException)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<string> ReceiveTextAsync(Socket socket)
    {
        using var copy = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await socket.ReceiveAsync(buffer)) > 0)
        {
            copy.Write(buffer, 0, n);
        }

        return Encoding.ASCII.GetString(copy.ToArray());
    }
}
