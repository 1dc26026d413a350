using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;
using static Rx.Ssh.Tests.Client.Jump.JumpTestSupport;

namespace Rx.Ssh.Tests.Client.Jump;

/// <summary>
/// <see cref="SshClientOptions.ProxyJump"/> through OpenSSH's sshd (issue 15, item 3): one and two
/// hops to sshd and to our own server, each hop's host key checked under its own name, failures
/// naming the hop, disposal closing the hops, a hop dying ending the connection.
/// </summary>
[Collection(SshdCollection.Name)]
public sealed class ProxyJumpInteropTests
{
    private readonly SshdServer _sshd;

    public ProxyJumpInteropTests(SshdFixture fixture) => _sshd = fixture.Server;

    [Fact]
    public async Task One_hop_through_sshd_reaches_sshd_with_the_hops_own_options()
    {
        var logs = new LogCollector();
        SshClientOptions options = OptionsFor(_sshd.KnownHostsPath) with { ProxyJump = [Hop(_sshd)], LoggerFactory = logs };

        await using SshClientConnection conn = await SshClient.ConnectAsync(SshdServer.Host, _sshd.Port, options).WaitAsync(TestTimeout.Long);
        SshCompletedProcess result = await conn.RunAsync("echo through the jump host").WaitAsync(TestTimeout.Long);

        Assert.Equal("through the jump host\n", result.Stdout);
        Assert.Null(conn.RemoteEndPoint);
        Assert.Single(Hops(logs));
    }

    [Fact]
    public async Task Two_hops_parsed_from_ssh_syntax_reach_our_server_checking_each_host_key_under_its_name()
    {
        await using SshdServer second = await SshdServer.StartAsync();
        await using RxSshServerUnderTest target = await StartTargetAsync();
        var verifier = new RecordingVerifier(new KnownHostsVerifier(_sshd.KnownHostsPath, second.KnownHostsPath, target.KnownHostsPath));
        var logs = new LogCollector();
        SshClientOptions options = OptionsFor(target.KnownHostsPath) with
        {
            LoggerFactory = logs,
            UserName = "deploy",
            HostKeyVerifier = verifier,
            ProxyJump = SshProxyJump.Parse($"{SshdServer.Host}:{_sshd.Port},ssh://{SshdServer.UserName}@{SshdServer.Host}:{second.Port}"),
        };

        await using SshClientConnection conn = await SshClient.ConnectAsync(SshdServer.Host, target.Port, options).WaitAsync(TestTimeout.Long);
        SshCompletedProcess result = await conn.RunAsync("hello").WaitAsync(TestTimeout.Long);

        Assert.Equal("ran hello as deploy\n", result.Stdout);
        Assert.Equal([$"127.0.0.1:{_sshd.Port}", $"127.0.0.1:{second.Port}", $"127.0.0.1:{target.Port}"], verifier.Asked);
        Assert.Equal([SshdServer.UserName, SshdServer.UserName], Hops(logs).Select(h => h.Value<string>("User")));
    }

    [Fact]
    public async Task A_hop_whose_host_key_is_unknown_fails_naming_that_hop()
    {
        await using SshdServer second = await SshdServer.StartAsync();
        SshClientOptions options = OptionsFor(_sshd.KnownHostsPath) with
        {
            // The second hop's options trust the first server's keys only: its own are unknown.
            ProxyJump = [Hop(_sshd), new SshProxyJump(SshdServer.Host, second.Port, OptionsFor(_sshd.KnownHostsPath))],
        };

        SshProxyJumpException e = await Assert.ThrowsAsync<SshProxyJumpException>(
            () => SshClient.ConnectAsync(SshdServer.Host, _sshd.Port, options).WaitAsync(TestTimeout.Long));

        Assert.Equal(SshProxyJumpFailure.Connect, e.Failure);
        Assert.Equal(1, e.HopIndex);
        Assert.Equal(second.Port, e.JumpPort);
        Assert.IsType<SshHostKeyNotTrustedException>(e.InnerException);
        Assert.Contains($"127.0.0.1:{second.Port} (hop 2)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_jump_host_that_forbids_forwarding_fails_naming_it()
    {
        await using SshdServer noForwarding = await SshdServer.StartAsync(new SshdOptions { ExtraLines = ["AllowTcpForwarding no"] });
        SshClientOptions options = OptionsFor(_sshd.KnownHostsPath) with { ProxyJump = [Hop(noForwarding)] };

        SshProxyJumpException e = await Assert.ThrowsAsync<SshProxyJumpException>(
            () => SshClient.ConnectAsync(SshdServer.Host, _sshd.Port, options).WaitAsync(TestTimeout.Long));

        Assert.Equal(SshProxyJumpFailure.OpenChannel, e.Failure);
        Assert.Equal((0, noForwarding.Port), (e.HopIndex, e.JumpPort));
        Assert.Equal((SshdServer.Host, _sshd.Port), (e.DestinationHost, e.DestinationPort));
        SshChannelOpenException open = Assert.IsType<SshChannelOpenException>(e.InnerException);
        Assert.Equal(ChannelOpenFailureReason.AdministrativelyProhibited, open.Reason);
        Assert.Contains($"Jump host 127.0.0.1:{noForwarding.Port} (hop 1) did not open a connection to 127.0.0.1:{_sshd.Port}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_next_host_fails_naming_the_jump_host_and_the_destination()
    {
        int closed = ClosedPort();
        SshClientOptions options = OptionsFor(_sshd.KnownHostsPath) with { ProxyJump = [Hop(_sshd)] };

        SshProxyJumpException e = await Assert.ThrowsAsync<SshProxyJumpException>(
            () => SshClient.ConnectAsync(SshdServer.Host, closed, options).WaitAsync(TestTimeout.Long));

        Assert.Equal(SshProxyJumpFailure.OpenChannel, e.Failure);
        Assert.Equal((_sshd.Port, closed), (e.JumpPort, e.DestinationPort));
        Assert.Equal(ChannelOpenFailureReason.ConnectFailed, Assert.IsType<SshChannelOpenException>(e.InnerException).Reason);
    }

    [Fact]
    public async Task A_wrong_password_on_the_second_hop_fails_naming_it()
    {
        await using SshdServer passwordOnly = await SshdServer.StartAsync(
            new SshdOptions { PasswordAuthentication = true, UserPassword = "right one", AuthorizedKeys = [] });
        SshClientOptions hopOptions = OptionsFor(passwordOnly.KnownHostsPath) with { KeyFiles = [], Password = "wrong one" };
        SshClientOptions options = OptionsFor(_sshd.KnownHostsPath) with
        {
            ProxyJump = [Hop(_sshd), new SshProxyJump(SshdServer.Host, passwordOnly.Port, hopOptions)],
        };

        SshProxyJumpException e = await Assert.ThrowsAsync<SshProxyJumpException>(
            () => SshClient.ConnectAsync(SshdServer.Host, _sshd.Port, options).WaitAsync(TestTimeout.Long));

        Assert.Equal(SshProxyJumpFailure.Connect, e.Failure);
        Assert.Equal((1, passwordOnly.Port), (e.HopIndex, e.JumpPort));
        Assert.IsType<SshPermissionDeniedException>(e.InnerException);
        Assert.Equal(DisconnectReason.NoMoreAuthMethodsAvailable, e.Reason);
        await passwordOnly.Log.WaitForLineAsync(line => line.Contains("Failed password for", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Disposing_the_connection_closes_every_hop()
    {
        await using SshdServer second = await SshdServer.StartAsync();
        var logs = new LogCollector();
        SshClientOptions options = OptionsFor(_sshd.KnownHostsPath) with { ProxyJump = [Hop(_sshd), Hop(second)], LoggerFactory = logs };
        SshClientConnection conn = await SshClient.ConnectAsync(SshdServer.Host, _sshd.Port, options).WaitAsync(TestTimeout.Long);
        Assert.Equal(2, Hops(logs).Length);
        Assert.DoesNotContain(logs.Entries, e => e.EventId == SshLogEvents.Client.JumpHostClosed);

        await conn.DisposeAsync().AsTask().WaitAsync(TestTimeout.Long);

        // Each hop closed cleanly, the last first (each runs over the one before it), before Dispose returned.
        LogEntry[] closed = [.. logs.Entries.Where(e => e.EventId == SshLogEvents.Client.JumpHostClosed)];
        Assert.Equal([2, 1], closed.Select(e => e.Value<int>("Index")));
        Assert.All(closed, e => Assert.Equal("no error", e.Value<string>("Error")));
        Assert.Null(await conn.Completion.WaitAsync(TestTimeout.Default));
        await second.Log.WaitForLineAsync(line => line.Contains("Disconnected by application", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_jump_host_dying_ends_the_connection_with_an_error_naming_it()
    {
        SshdServer jump = await SshdServer.StartAsync();
        await using (jump)
        {
            SshClientOptions options = OptionsFor(_sshd.KnownHostsPath) with { ProxyJump = [Hop(jump)] };
            await using SshClientConnection conn = await SshClient.ConnectAsync(SshdServer.Host, _sshd.Port, options).WaitAsync(TestTimeout.Long);
            Assert.Equal("up\n", (await conn.RunAsync("echo up").WaitAsync(TestTimeout.Long)).Stdout);

            await jump.DisposeAsync(); // kills sshd and the hop's session process

            Exception? ended = await conn.Completion.WaitAsync(TestTimeout.Long);
            SshProxyJumpException e = Assert.IsType<SshProxyJumpException>(ended);
            Assert.Equal(SshProxyJumpFailure.ConnectionLost, e.Failure);
            Assert.Equal((0, jump.Port), (e.HopIndex, e.JumpPort));
            Assert.False(e.IsLocal);
            await Assert.ThrowsAnyAsync<SshConnectionException>(() => conn.RunAsync("echo again").WaitAsync(TestTimeout.Default));
        }
    }

    [Fact]
    public async Task Connect_events_report_the_target_reached_through_the_jump_host()
    {
        var events = new List<SshConnectionEvent>();
        SshClientOptions options = OptionsFor(_sshd.KnownHostsPath) with
        {
            ProxyJump = [Hop(_sshd)],
            ConnectionEvents = events.Add,
        };

        await using SshClientConnection conn = await SshClient.ConnectAsync(SshdServer.Host, _sshd.Port, options).WaitAsync(TestTimeout.Long);

        SshTcpConnected tcp = Assert.IsType<SshTcpConnected>(events[0]);
        Assert.Equal((SshdServer.Host, _sshd.Port, null), (tcp.Host, tcp.Port, tcp.RemoteEndPoint));
        Assert.IsType<SshHostKeyAccepted>(events[1]);
        Assert.IsType<SshAuthenticated>(events[2]);
        Assert.Equal(3, events.Count);
    }
}
