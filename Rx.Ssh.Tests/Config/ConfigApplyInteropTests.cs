using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Text;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Config;

/// <summary>
/// ssh_config applied on connect, against OpenSSH's sshd: an alias with HostName/Port/User/IdentityFile,
/// StrictHostKeyChecking accept-new and yes with a UserKnownHostsFile, LocalForward started on
/// connect, SetEnv reaching the command.
/// </summary>
[Collection(SshdCollection.Name)]
public sealed class ConfigApplyInteropTests : IDisposable
{
    private readonly SshdServer _server;
    private readonly string _dir = Directory.CreateTempSubdirectory("rxssh-configapply-").FullName;

    public ConfigApplyInteropTests(SshdFixture fixture) => _server = fixture.Server;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Options whose only source of host, port, user, key and known hosts is <paramref name="config"/>.</summary>
    private static SshClientOptions From(string config) => new() { Config = SshConfig.Parse(config, "test_config"), LoginTimeout = TestTimeout.Long };

    private string Alias(string extra = "") => $"""
        Host box
          HostName {SshdServer.Host}
          Port {_server.Port}
          User {SshdServer.UserName}
          IdentityFile {TestKeys.Ed25519.PrivateKeyPath}
          GlobalKnownHostsFile /dev/null
        {extra}
        """;

    [Fact]
    public async Task An_alias_connects_with_its_hostname_port_user_and_identity_file()
    {
        SshClientOptions options = From(Alias($"  UserKnownHostsFile {_server.KnownHostsPath}"));
        await using (SshClientConnection conn = await SshClient.ConnectAsync("box", options: options).WaitAsync(TestTimeout.Long))
        {
            Assert.Equal((SshdServer.Host, _server.Port, SshdServer.UserName), (conn.Host, conn.Port, conn.UserName));
            Assert.Equal("hello\n", (await conn.Run("echo hello")).Stdout);
        }

        SshCompletedProcess viaHost = await new SshHost("box", options: options).RunAsync("echo host").WaitAsync(TestTimeout.Long);
        Assert.Equal("host\n", viaHost.Stdout);
    }

    [Fact]
    public async Task ProxyJump_from_the_config_goes_through_a_jump_host_resolved_through_the_same_config()
    {
        // "box" is reached through "jump", an alias of the same sshd; each is resolved under its own name.
        string config = Alias($"  UserKnownHostsFile {_server.KnownHostsPath}\n  ProxyJump jump") + $"""

            Host jump
              HostName {SshdServer.Host}
              Port {_server.Port}
              User {SshdServer.UserName}
              IdentityFile {TestKeys.Ed25519.PrivateKeyPath}
              UserKnownHostsFile {_server.KnownHostsPath}
              GlobalKnownHostsFile /dev/null
            """;
        var logs = new LogCollector();
        await using SshClientConnection conn = await SshClient.ConnectAsync("box", options: From(config) with { LoggerFactory = logs }).WaitAsync(TestTimeout.Long);

        Assert.Equal("through jump\n", (await conn.Run("echo through jump")).Stdout);
        Assert.Null(conn.RemoteEndPoint); // over the jump host's channel, not a socket of ours
        Assert.Single(Rx.Ssh.Tests.Client.Jump.JumpTestSupport.Hops(logs));
    }

    [Fact]
    public async Task ProxyCommand_from_the_config_carries_the_connection()
    {
        string config = Alias($"  UserKnownHostsFile {_server.KnownHostsPath}\n  ProxyCommand ssh -F none -o BatchMode=yes -o UserKnownHostsFile={_server.KnownHostsPath} -o GlobalKnownHostsFile=/dev/null -i {TestKeys.Ed25519.PrivateKeyPath} -p {_server.Port} -W %h:%p {SshdServer.UserName}@{SshdServer.Host}");
        await using SshClientConnection conn = await SshClient.ConnectAsync("box", options: From(config)).WaitAsync(TestTimeout.Long);

        Assert.Equal("through the command\n", (await conn.Run("echo through the command")).Stdout);
        Assert.Null(conn.RemoteEndPoint);
    }

    [Fact]
    public async Task Code_set_ProxyJump_wins_over_the_configs_and_a_malformed_one_names_the_host()
    {
        string config = Alias($"  UserKnownHostsFile {_server.KnownHostsPath}\n  ProxyJump ops@");
        SshConfigException error = await Assert.ThrowsAsync<SshConfigException>(() => SshClient.ConnectAsync("box", options: From(config)).WaitAsync(TestTimeout.Long));
        Assert.Contains("ProxyJump", error.Message, StringComparison.Ordinal);

        // Set in code (directly, no hops): the config's is not used.
        SshClientOptions direct = From(config) with { ProxyCommand = null, ProxyJump = [new SshProxyJump(SshdServer.Host, _server.Port, Rx.Ssh.Tests.Client.Jump.JumpTestSupport.OptionsFor(_server.KnownHostsPath))] };
        await using SshClientConnection conn = await SshClient.ConnectAsync("box", options: direct).WaitAsync(TestTimeout.Long);
        Assert.Equal("ok\n", (await conn.Run("echo ok")).Stdout);
    }

    [Fact]
    public async Task Accept_new_adds_an_unknown_key_then_refuses_a_changed_one()
    {
        string knownHosts = Path.Combine(_dir, "known_hosts");
        SshClientOptions options = From(Alias($"  UserKnownHostsFile {knownHosts}\n  StrictHostKeyChecking accept-new\n  HashKnownHosts no"));

        await using (SshClientConnection first = await SshClient.ConnectAsync("box", options: options).WaitAsync(TestTimeout.Long))
        {
            Assert.Equal(0, (await first.Run("true")).ExitStatus);
        }

        string added = Assert.Single(File.ReadAllLines(knownHosts));
        string[] fields = added.Split(' ');
        Assert.Equal($"[{SshdServer.Host}]:{_server.Port}", fields[0]);

        // Known now: a second connect trusts it without adding anything.
        await using (SshClientConnection again = await SshClient.ConnectAsync("box", options: options).WaitAsync(TestTimeout.Long))
        {
            Assert.Single(File.ReadAllLines(knownHosts));
        }

        // The same name with another key of the same type: a changed host key, refused as ssh does.
        TestKey other = TestKeys.Unencrypted.First(k => k.SshKeyType == fields[1]);
        File.WriteAllText(knownHosts, $"{fields[0]} {fields[1]} {other.PublicKeyBase64}\n");
        var refused = await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(() => SshClient.ConnectAsync("box", options: options).WaitAsync(TestTimeout.Long));
        Assert.Equal(HostKeyTrustFailure.Changed, refused.Failure);
        Assert.Single(File.ReadAllLines(knownHosts));
    }

    [Fact]
    public async Task StrictHostKeyChecking_yes_refuses_an_unknown_host()
    {
        string knownHosts = Path.Combine(_dir, "empty_known_hosts");
        SshClientOptions options = From(Alias($"  UserKnownHostsFile {knownHosts}\n  StrictHostKeyChecking yes"));
        var refused = await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(() => SshClient.ConnectAsync("box", options: options).WaitAsync(TestTimeout.Long));
        Assert.Equal(HostKeyTrustFailure.Unknown, refused.Failure);
        Assert.False(File.Exists(knownHosts) && File.ReadAllText(knownHosts).Length > 0);
    }

    [Fact]
    public async Task HostKeyAlias_looks_the_key_up_under_the_alias()
    {
        string knownHosts = Path.Combine(_dir, "aliased_known_hosts");
        File.WriteAllText(knownHosts, TestKeys.KnownHostsText(22, _server.HostKeys, "box-alias"));
        SshClientOptions options = From(Alias($"  UserKnownHostsFile {knownHosts}\n  HostKeyAlias box-alias"));
        await using SshClientConnection conn = await SshClient.ConnectAsync("box", options: options).WaitAsync(TestTimeout.Long);
        Assert.Equal(0, (await conn.Run("true")).ExitStatus);
    }

    [Fact]
    public async Task A_LocalForward_of_the_config_listens_once_connected_and_stops_with_the_connection()
    {
        int port = FreePort();
        SshClientOptions options = From(Alias($"  UserKnownHostsFile {_server.KnownHostsPath}\n  LocalForward 127.0.0.1:{port} 127.0.0.1:{_server.Port}\n  ExitOnForwardFailure yes"));
        await using (SshClientConnection conn = await SshClient.ConnectAsync("box", options: options).WaitAsync(TestTimeout.Long))
        {
            // Through the forward to sshd's own port: its identification line comes back.
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TestTimeout.Long);
            using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
            string? banner = await reader.ReadLineAsync().WaitAsync(TestTimeout.Long);
            Assert.StartsWith("SSH-2.0-OpenSSH", banner, StringComparison.Ordinal);
        }

        await AssertRefusedSoonAsync(port);
    }

    [Fact]
    public async Task A_RemoteForward_of_the_config_reaches_a_local_service()
    {
        using var service = new TcpListener(IPAddress.Loopback, 0);
        service.Start();
        int servicePort = ((IPEndPoint)service.LocalEndpoint).Port;
        int remotePort = FreePort();
        SshClientOptions options = From(Alias($"  UserKnownHostsFile {_server.KnownHostsPath}\n  RemoteForward 127.0.0.1:{remotePort} 127.0.0.1:{servicePort}\n  ExitOnForwardFailure yes"));
        await using SshClientConnection conn = await SshClient.ConnectAsync("box", options: options).WaitAsync(TestTimeout.Long);

        // sshd listens on the remote port once the connect returned; what arrives there comes out here.
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, remotePort).WaitAsync(TestTimeout.Long);
        using TcpClient accepted = await service.AcceptTcpClientAsync().WaitAsync(TestTimeout.Long);
        await accepted.GetStream().WriteAsync("through\n"u8.ToArray());
        using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
        Assert.Equal("through", await reader.ReadLineAsync().WaitAsync(TestTimeout.Long));
    }

    [Fact]
    public async Task A_DynamicForward_of_the_config_is_a_socks_proxy()
    {
        int port = FreePort();
        SshClientOptions options = From(Alias($"  UserKnownHostsFile {_server.KnownHostsPath}\n  DynamicForward 127.0.0.1:{port}\n  ExitOnForwardFailure yes"));
        await using SshClientConnection conn = await SshClient.ConnectAsync("box", options: options).WaitAsync(TestTimeout.Long);

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TestTimeout.Long);
        NetworkStream stream = client.GetStream();
        // SOCKS4 CONNECT to sshd's own port through the tunnel: version 4, command 1, port, 127.0.0.1, empty user id.
        byte[] request = [4, 1, (byte)(_server.Port >> 8), (byte)_server.Port, 127, 0, 0, 1, 0];
        await stream.WriteAsync(request);
        byte[] reply = new byte[8];
        await stream.ReadExactlyAsync(reply).AsTask().WaitAsync(TestTimeout.Long);
        Assert.Equal(0x5A, reply[1]);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        Assert.StartsWith("SSH-2.0-OpenSSH", await reader.ReadLineAsync().WaitAsync(TestTimeout.Long), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExitOnForwardFailure_fails_the_connect_when_a_forward_cannot_listen()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        int port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        SshClientOptions options = From(Alias($"  UserKnownHostsFile {_server.KnownHostsPath}\n  LocalForward 127.0.0.1:{port} 127.0.0.1:{_server.Port}\n  ExitOnForwardFailure yes"));
        var error = await Assert.ThrowsAsync<SshForwardingException>(() => SshClient.ConnectAsync("box", options: options).WaitAsync(TestTimeout.Long));
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);

        // Without it the failure is only logged and the connection is usable.
        await using SshClientConnection conn = await SshClient.ConnectAsync("box", options: From(Alias($"  UserKnownHostsFile {_server.KnownHostsPath}\n  LocalForward 127.0.0.1:{port} 127.0.0.1:{_server.Port}"))).WaitAsync(TestTimeout.Long);
        Assert.Equal(0, (await conn.Run("true")).ExitStatus);
    }

    [Fact]
    public async Task SetEnv_and_RemoteCommand_reach_the_server()
    {
        // The test sshd accepts LANG and LC_*.
        SshClientOptions options = From(Alias($"  UserKnownHostsFile {_server.KnownHostsPath}\n  SetEnv LC_RXSSH_TEST=from-config\n  RemoteCommand echo remote $LC_RXSSH_TEST"));
        await using SshClientConnection conn = await SshClient.ConnectAsync("box", options: options).WaitAsync(TestTimeout.Long);
        Assert.Equal("from-config\n", (await conn.Run("echo $LC_RXSSH_TEST")).Stdout);
        Assert.Equal("given\n", (await conn.Run("echo $LC_RXSSH_TEST", new SshProcessOptions { Environment = new Dictionary<string, string> { ["LC_RXSSH_TEST"] = "given" } })).Stdout);

        await using SshClientProcess shell = await conn.CreateProcessAsync(null);
        Assert.Equal("remote from-config", await shell.Stdout.ReadLineAsync().AsTask().WaitAsync(TestTimeout.Long));
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static async Task AssertRefusedSoonAsync(int port)
    {
        // The listener closes as the connection ends (asynchronously): wait for a refusal, bounded.
        using var deadline = new CancellationTokenSource(TestTimeout.Long);
        while (true)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline.Token);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                // Accepted into the backlog as the listener closed: the next attempt is refused.
            }

            await Task.Delay(20, deadline.Token);
        }
    }
}
