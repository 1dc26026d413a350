using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using Rx.Ssh.Keys;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Reverse;

/// <summary>Our reverse pair against each other over loopback TCP: ConnectReverse (the dialling server) and ListenReverse (the listening client).</summary>
public sealed class ReverseDirectionTests
{
    [Fact]
    public void The_call_home_port_is_IANAs_netconf_ch_ssh()
    {
        Assert.Equal(4334, SshCallHome.NetconfPort);
        Assert.Equal(4334, new SshReverseListenOptions().Port);
        Assert.Equal(IPAddress.Loopback, new SshReverseListenOptions().Address);
    }

    [Fact]
    public async Task Server_that_dials_out_serves_the_listening_client()
    {
        var (listener, first, _, subscription) = await ReversePair.ListenAsync(InMemoryServer.DefaultClientOptions());
        await using (listener)
        using (subscription)
        {
            await using SshServerConnection server = await SshServer.ConnectReverseAsync("127.0.0.1", listener.Port, ReversePair.EchoServer()).WithTimeout();
            await using SshClientConnection client = await first.WithTimeout();

            Assert.Equal("alice", server.UserName);
            Assert.Equal("127.0.0.1", client.Host);
            Assert.Equal(listener.Port, ((IPEndPoint)server.RemoteEndPoint!).Port);
            Assert.Equal(IPAddress.Loopback, ((IPEndPoint)client.RemoteEndPoint!).Address);
            SshCompletedProcess result = await client.RunAsync("uptime").WithTimeout();
            Assert.Equal("ran uptime\n", result.Stdout);
            Assert.Equal(0, result.ExitStatus);
        }
    }

    [Fact]
    public async Task Cold_forms_start_on_subscribe_and_hand_over_their_connections()
    {
        int port = SshdServer.FindFreePort();
        var connections = new ObservableCollector<SshClientConnection>(
            SshClient.ListenReverse(InMemoryServer.DefaultClientOptions(), ReversePair.Loopback() with { Port = port }));
        using (connections)
        {
            // Subscribing bound the port: two servers call home, each through a cold ConnectReverse.
            IObservable<SshServerConnection> dial = SshServer.ConnectReverse("127.0.0.1", port, ReversePair.EchoServer());
            await using SshServerConnection one = await dial.FirstAsync().ToTask().WithTimeout();
            await using SshServerConnection two = await dial.FirstAsync().ToTask().WithTimeout();
            await using SshClientConnection a = await connections.NextAsync();
            await using SshClientConnection b = await connections.NextAsync();
            Assert.NotEqual(a.RemoteEndPoint, b.RemoteEndPoint);
            Assert.Equal("ran id\n", (await a.RunAsync("id").WithTimeout()).Stdout);
            Assert.Equal("ran id\n", (await b.RunAsync("id").WithTimeout()).Stdout);
        }
    }

    [Fact]
    public async Task Disposing_the_listener_stops_listening_and_keeps_emitted_connections()
    {
        var (listener, first, _, subscription) = await ReversePair.ListenAsync(InMemoryServer.DefaultClientOptions());
        int port = listener.Port;
        await using SshServerConnection server = await SshServer.ConnectReverseAsync("127.0.0.1", port, ReversePair.EchoServer()).WithTimeout();
        await using SshClientConnection client = await first.WithTimeout();
        var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using IDisposable watch = listener.Connections.Subscribe(_ => { }, () => completed.TrySetResult());

        await listener.DisposeAsync().WithTimeout();
        subscription.Dispose();

        await completed.Task.WithTimeout();
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        SocketException refused = await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port).WithTimeout());
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.Equal("ran ls\n", (await client.RunAsync("ls").WithTimeout()).Stdout);
    }

    [Fact]
    public async Task Connection_that_authenticates_while_no_one_subscribes_is_disconnected()
    {
        await using SshReverseListener listener = await SshClient.ListenReverseAsync(InMemoryServer.DefaultClientOptions(), ReversePair.Loopback());
        await using SshServerConnection server = await SshServer.ConnectReverseAsync("127.0.0.1", listener.Port, ReversePair.EchoServer()).WithTimeout();

        // No one could own the client side, so the listener closed it: the caller sees the end.
        await server.Completion.WithTimeout();
    }

    [Fact]
    public async Task Known_hosts_entry_for_the_peer_address_is_trusted()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, KnownHostsFile.FormatEntry("127.0.0.1", 22, InMemoryServer.HostKey.PublicKey, hashed: false) + "\n");
            SshClientOptions options = InMemoryServer.DefaultClientOptions() with { HostKeyVerifier = new KnownHostsVerifier(file) };
            var (listener, first, _, subscription) = await ReversePair.ListenAsync(options);
            await using (listener)
            using (subscription)
            {
                await using SshServerConnection server = await SshServer.ConnectReverseAsync("localhost", listener.Port, ReversePair.EchoServer()).WithTimeout();
                await using SshClientConnection client = await first.WithTimeout();
                Assert.Equal("127.0.0.1", client.Host);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Host_name_callback_names_the_peer_for_known_hosts()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, KnownHostsFile.FormatEntry("device-7", 22, InMemoryServer.HostKey.PublicKey, hashed: true) + "\n");
            SshClientOptions options = InMemoryServer.DefaultClientOptions() with { HostKeyVerifier = new KnownHostsVerifier(file) };
            IPEndPoint? seen = null;
            var (listener, first, _, subscription) = await ReversePair.ListenAsync(options, l => l with
            {
                HostName = peer =>
                {
                    seen = peer;
                    return "device-7";
                },
            });
            await using (listener)
            using (subscription)
            {
                await using SshServerConnection server = await SshServer.ConnectReverseAsync("127.0.0.1", listener.Port, ReversePair.EchoServer()).WithTimeout();
                await using SshClientConnection client = await first.WithTimeout();
                Assert.Equal("device-7", client.Host);
                Assert.Equal(IPAddress.Loopback, seen!.Address);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Untrusted_host_key_of_the_calling_server_is_refused()
    {
        SshClientOptions options = InMemoryServer.DefaultClientOptions() with
        {
            HostKeyVerifier = new CallbackHostKeyVerifier(_ => ValueTask.FromResult(false)),
        };
        var (listener, first, failed, subscription) = await ReversePair.ListenAsync(options);
        await using (listener)
        using (subscription)
        {
            await Assert.ThrowsAnyAsync<SshConnectionException>(() => SshServer.ConnectReverseAsync("127.0.0.1", listener.Port, ReversePair.EchoServer()).WithTimeout());
            SshReversePeerFailure failure = await failed.WithTimeout();
            Assert.IsType<SshHostKeyNotTrustedException>(failure.Error);
            Assert.Equal("127.0.0.1", failure.Host);
            Assert.False(first.IsCompleted);
        }
    }

    [Fact]
    public async Task Untrusted_client_key_is_refused_by_the_calling_server()
    {
        using SshPrivateKey trusted = SshPrivateKey.Generate("ssh-ed25519");
        using SshPrivateKey other = SshPrivateKey.Generate("ssh-ed25519");
        SshServerOptions server = ReversePair.EchoServer() with
        {
            PasswordValidator = null,
            PublicKeyValidator = (_, key) => ValueTask.FromResult(key.Equals(trusted.PublicKey)),
        };
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with { Password = null, Keys = [other] };
        var (listener, first, failed, subscription) = await ReversePair.ListenAsync(client);
        await using (listener)
        using (subscription)
        {
            await Assert.ThrowsAnyAsync<SshException>(() => SshServer.ConnectReverseAsync("127.0.0.1", listener.Port, server).WithTimeout());
            SshReversePeerFailure failure = await failed.WithTimeout();
            Assert.IsType<SshPermissionDeniedException>(failure.Error);
            Assert.False(first.IsCompleted);

            // The trusted key gets in on the same listener: a refused peer does not stop it.
            var (listener2, first2, _, subscription2) = await ReversePair.ListenAsync(client with { Keys = [trusted] });
            await using (listener2)
            using (subscription2)
            {
                await using SshServerConnection ok = await SshServer.ConnectReverseAsync("127.0.0.1", listener2.Port, server).WithTimeout();
                await using SshClientConnection conn = await first2.WithTimeout();
                Assert.Equal("ran x\n", (await conn.RunAsync("x").WithTimeout()).Stdout);
            }
        }
    }

    [Fact]
    public async Task Peer_that_connects_and_says_nothing_fails_the_login_timeout()
    {
        SshClientOptions options = InMemoryServer.DefaultClientOptions() with { LoginTimeout = TimeSpan.FromMilliseconds(300) };
        var (listener, first, failed, subscription) = await ReversePair.ListenAsync(options);
        await using (listener)
        using (subscription)
        {
            using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await silent.ConnectAsync(IPAddress.Loopback, listener.Port).WithTimeout();

            SshReversePeerFailure failure = await failed.WithTimeout();
            SshConnectionException error = Assert.IsType<SshConnectionException>(failure.Error);
            Assert.IsType<TimeoutException>(error.InnerException);
            Assert.Contains("login timed out", error.Message, StringComparison.Ordinal);
            Assert.Equal(((IPEndPoint)silent.LocalEndPoint!).Port, ((IPEndPoint)failure.RemoteEndPoint!).Port);

            // The listener closed the silent socket after sending its identification line.
            byte[] buffer = new byte[4096];
            var received = new StringBuilder();
            int n;
            while ((n = await silent.ReceiveAsync(buffer.AsMemory()).AsTask().WithTimeout()) > 0)
            {
                received.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }

            Assert.StartsWith("SSH-2.0-", received.ToString(), StringComparison.Ordinal);
            Assert.Equal(0, listener.PendingConnections);
        }
    }

    [Fact]
    public async Task Peer_that_speaks_garbage_is_refused_and_the_listener_carries_on()
    {
        var (listener, first, failed, subscription) = await ReversePair.ListenAsync(InMemoryServer.DefaultClientOptions());
        await using (listener)
        using (subscription)
        {
            using (var garbage = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                await garbage.ConnectAsync(IPAddress.Loopback, listener.Port).WithTimeout();
                await garbage.SendAsync(Encoding.ASCII.GetBytes("SSH-1.5-old\r\n" + new string('x', 300) + "\r\n"));
                SshReversePeerFailure failure = await failed.WithTimeout();
                Assert.IsAssignableFrom<SshException>(failure.Error);
            }

            await using SshServerConnection server = await SshServer.ConnectReverseAsync("127.0.0.1", listener.Port, ReversePair.EchoServer()).WithTimeout();
            await using SshClientConnection client = await first.WithTimeout();
            Assert.Equal("ran y\n", (await client.RunAsync("y").WithTimeout()).Stdout);
        }
    }

    [Fact]
    public async Task Peers_past_the_pending_limit_are_closed_at_accept()
    {
        var second = new TaskCompletionSource<SshReversePeerFailure>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (listener, _, _, subscription) = await ReversePair.ListenAsync(InMemoryServer.DefaultClientOptions(), l => l with
        {
            MaxPendingConnections = 1,
            PeerFailed = f => second.TrySetResult(f),
        });
        await using (listener)
        using (subscription)
        {
            using var one = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await one.ConnectAsync(IPAddress.Loopback, listener.Port).WithTimeout();
            byte[] line = new byte[8];
            Assert.True(await one.ReceiveAsync(line).WithTimeout() > 0); // served: it got our identification
            using var two = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await two.ConnectAsync(IPAddress.Loopback, listener.Port).WithTimeout();

            SshReversePeerFailure failure = await second.Task.WithTimeout();
            Assert.Equal(DisconnectReason.TooManyConnections, Assert.IsType<SshConnectionException>(failure.Error).Reason);
            Assert.Equal(0, await two.ReceiveAsync(new byte[8]).WithTimeout());
        }
    }

    [Fact]
    public async Task Listener_that_says_nothing_fails_the_calling_servers_handshake_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        Task<Socket> accepted = silent.AcceptSocketAsync();
        SshServerOptions options = ReversePair.EchoServer() with { HandshakeTimeout = TimeSpan.FromMilliseconds(300) };

        SshConnectionException error = await Assert.ThrowsAsync<SshConnectionException>(
            () => SshServer.ConnectReverseAsync("127.0.0.1", ((IPEndPoint)silent.LocalEndpoint).Port, options).WithTimeout());

        Assert.IsType<TimeoutException>(error.InnerException);
        using Socket peer = await accepted.WithTimeout();
    }

    [Fact]
    public async Task Calling_a_closed_port_fails_with_a_connection_error()
    {
        int port = SshdServer.FindFreePort();
        SshConnectionException error = await Assert.ThrowsAsync<SshConnectionException>(
            () => SshServer.ConnectReverseAsync("127.0.0.1", port, ReversePair.EchoServer()).WithTimeout());
        Assert.Contains("Cannot connect to 127.0.0.1 port", error.Message, StringComparison.Ordinal);
        Assert.IsType<SocketException>(error.InnerException);
    }

    [Fact]
    public async Task Calling_without_a_host_key_is_an_argument_error_before_dialling()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => SshServer.ConnectReverseAsync("127.0.0.1", 1, new SshServerOptions()));
    }
}
