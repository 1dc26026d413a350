using System.Net;
using System.Net.Sockets;
using System.Text;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Interop;

namespace Rx.Ssh.Tests.Forwarding;

/// <summary>Local forwarding (ssh -L) through OpenSSH's sshd (issue 12).</summary>
[Collection(SshdCollection.Name)]
public sealed class LocalForwardingInteropTests
{
    private readonly SshdServer _server;

    public LocalForwardingInteropTests(SshdFixture fixture) => _server = fixture.Server;

    [Fact]
    public async Task Port_zero_reports_the_port_and_a_connection_echoes_with_its_byte_counts()
    {
        await using TestTcpService echo = TestTcpService.Echo();
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        using var events = new ObservableCollector<SshLocalForwardEvent>(conn.ForwardLocalPort("127.0.0.1", 0, "127.0.0.1", echo.Port));
        var started = Assert.IsType<SshLocalForwardStarted>(await events.NextAsync());
        var bound = Assert.IsType<IPEndPoint>(started.LocalEndPoint);
        Assert.NotEqual(0, bound.Port);

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(bound).WithTimeout();
        var connection = Assert.IsType<SshLocalForwardConnection>(await events.NextAsync());
        Assert.Equal(client.LocalEndPoint, connection.RemoteEndPoint);
        Assert.Equal("forwarded!", await EchoOnceAsync(client, "forwarded!"));
        SshForwardResult result = await connection.Completion.WithTimeout();
        Assert.Null(result.Error);
        Assert.Equal(10, result.BytesToRemote);
        Assert.Equal(10, result.BytesFromRemote);
    }

    [Fact]
    public async Task Two_hundred_concurrent_connections_on_one_ssh_connection_all_echo()
    {
        await using TestTcpService echo = TestTcpService.Echo();
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        await using SshLocalForwarder forward = await conn.ForwardLocalPortAsync("localhost", 0, "127.0.0.1", echo.Port).WithTimeout();
        int port = ((IPEndPoint)forward.LocalEndPoint).Port;
        Assert.True(IPAddress.IsLoopback(((IPEndPoint)forward.LocalEndPoint).Address));
        async Task<bool> One(int i)
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            string text = $"connection {i} " + new string((char)('a' + (i % 26)), 5000 + i);
            return await EchoOnceAsync(client, text) == text;
        }

        bool[] results = await Task.WhenAll(Enumerable.Range(0, 200).Select(One)).WithTimeout(TestTimeout.Long * 2);
        Assert.All(results, Assert.True);
    }

    [Fact]
    public async Task A_local_unix_socket_forwards_to_a_remote_unix_socket()
    {
        string remote = TempSocketPath();
        string local = TempSocketPath();
        await using TestTcpService echo = TestTcpService.Unix(remote, TestTcpService.EchoAsync);
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        using var events = new ObservableCollector<SshLocalForwardEvent>(conn.ForwardLocalPathToPath(local, remote));
        Assert.IsType<SshLocalForwardStarted>(await events.NextAsync());
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(local)).WithTimeout();
        Assert.Equal("unix to unix", await EchoOnceAsync(client, "unix to unix"));
    }

    [Fact]
    public async Task A_local_port_forwards_to_a_remote_unix_socket_and_a_local_path_to_a_remote_port()
    {
        string remote = TempSocketPath();
        string local = TempSocketPath();
        await using TestTcpService unixEcho = TestTcpService.Unix(remote, TestTcpService.EchoAsync);
        await using TestTcpService tcpEcho = TestTcpService.Echo();
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        using var toPath = new ObservableCollector<SshLocalForwardEvent>(conn.ForwardLocalPortToPath("127.0.0.1", 0, remote));
        var started = Assert.IsType<SshLocalForwardStarted>(await toPath.NextAsync());
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(started.LocalEndPoint).WithTimeout();
            Assert.Equal("port to path", await EchoOnceAsync(client, "port to path"));
        }

        SshLocalForwarder fromPath = await conn.ForwardLocalPathAsync(local, "127.0.0.1", tcpEcho.Port);
        using (var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            await client.ConnectAsync(new UnixDomainSocketEndPoint(local)).WithTimeout();
            Assert.Equal("path to port", await EchoOnceAsync(client, "path to port"));
        }

        await fromPath.DisposeAsync().AsTask().WithTimeout();
        Assert.False(File.Exists(local)); // the socket file we created is removed when the forward stops
    }

    [Fact]
    public async Task A_taken_listen_port_is_a_clear_error()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        int port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        SocketException error = await Assert.ThrowsAsync<SocketException>(() => conn.ForwardLocalPortAsync("127.0.0.1", port, "127.0.0.1", 9));
        Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
        using var events = new ObservableCollector<SshLocalForwardEvent>(conn.ForwardLocalPort("127.0.0.1", port, "127.0.0.1", 9));
        SocketException observed = Assert.IsType<SocketException>(await events.Ended.WithTimeout());
        Assert.Equal(SocketError.AddressAlreadyInUse, observed.SocketErrorCode);
        Assert.Equal("ok\n", (await conn.Run("echo ok").WithTimeout()).Stdout);
    }

    [Fact]
    public async Task Disposal_stops_listening_and_closes_connections_in_flight()
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using TestTcpService service = TestTcpService.Tcp(async (socket, ct) =>
        {
            var buffer = new byte[1024];
            while (await socket.ReceiveAsync(buffer, ct) > 0)
            {
                reached.TrySetResult();
            }
        });
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        SshLocalForwarder forward = await conn.ForwardLocalPortAsync("127.0.0.1", 0, "127.0.0.1", service.Port);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(forward.LocalEndPoint).WithTimeout();
        await client.SendAsync(new byte[] { 1 });
        await reached.Task.WithTimeout();
        await forward.DisposeAsync().AsTask().WithTimeout();
        await forward.Completion.WithTimeout();
        Assert.Equal(0, await ReceiveUntilClosedAsync(client).WithTimeout());
        using var late = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAnyAsync<SocketException>(() => late.ConnectAsync(forward.LocalEndPoint).WithTimeout());
    }

    [Fact]
    public async Task The_ssh_connection_ending_closes_local_sockets_and_errors_the_subscriber()
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using TestTcpService service = TestTcpService.Tcp(async (socket, ct) =>
        {
            var buffer = new byte[1024];
            while (await socket.ReceiveAsync(buffer, ct) > 0)
            {
                reached.TrySetResult();
            }
        });
        SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        using var events = new ObservableCollector<SshLocalForwardEvent>(conn.ForwardLocalPort("127.0.0.1", 0, "127.0.0.1", service.Port));
        var started = Assert.IsType<SshLocalForwardStarted>(await events.NextAsync());
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(started.LocalEndPoint).WithTimeout();
        await client.SendAsync(new byte[] { 1 });
        await reached.Task.WithTimeout();
        var connection = Assert.IsType<SshLocalForwardConnection>(await events.NextAsync());
        await conn.DisposeAsync();
        Assert.IsType<SshConnectionException>(await events.Ended.WithTimeout());
        Assert.Equal(0, await ReceiveUntilClosedAsync(client).WithTimeout());
        Assert.NotNull((await connection.Completion.WithTimeout()).Error);
    }

    internal static string TempSocketPath() => Path.Combine(Path.GetTempPath(), $"rxssh-{Guid.NewGuid():N}.sock");

    internal static async Task<string> EchoOnceAsync(Socket client, string text)
    {
        await TestTcpService.SendAllAsync(client, Encoding.ASCII.GetBytes(text), CancellationToken.None).WithTimeout();
        client.Shutdown(SocketShutdown.Send);
        using var copy = new MemoryStream();
        var buffer = new byte[8192];
        int n;
        while ((n = await client.ReceiveAsync(buffer).WithTimeout(TestTimeout.Long)) > 0)
        {
            copy.Write(buffer, 0, n);
        }

        return Encoding.ASCII.GetString(copy.ToArray());
    }

    /// <summary>Reads until the peer closes: 0 for an orderly close, -1 for a reset.</summary>
    internal static async Task<int> ReceiveUntilClosedAsync(Socket client)
    {
        var buffer = new byte[1024];
        try
        {
            while (await client.ReceiveAsync(buffer) > 0)
            {
            }

            return 0;
        }
        catch (SocketException)
        {
            return 0; // reset: closed all the same
        }
    }

    /// <summary>Subscribes at once and hands the items out one by one; <see cref="Ended"/> gives the error (null on completion).</summary>
}
