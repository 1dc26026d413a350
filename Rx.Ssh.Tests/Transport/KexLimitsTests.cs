using System.Threading.Channels;
using Rx.Ssh.Testing;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Transport;

namespace Rx.Ssh.Tests.Transport;

/// <summary>
/// Limits on key re-exchange: a deadline (virtual time), none from an unauthenticated client,
/// a rate limit on peer-initiated ones, and a re-key after a number of packets.
/// </summary>
public sealed class KexLimitsTests
{
    [Fact]
    public async Task A_peer_that_starts_a_re_exchange_and_goes_silent_is_cut_off_after_the_timeout()
    {
        var clock = new VirtualClock();
        (Stream clientStream, Stream serverStream) = InMemoryStream.CreatePair();
        var silent = new PausableStream(clientStream);
        Task<SshServerConnection> accept = SshServer.AcceptAsync(serverStream, InMemoryServer.DefaultServerOptions() with { Scheduler = clock, RekeyInterval = TimeSpan.Zero });
        await using SshClientConnection client = await SshClient.ConnectAsync(
            silent, InMemorySshServer.DefaultHostName, 22, InMemoryServer.DefaultClientOptions() with { Scheduler = clock, RekeyInterval = TimeSpan.Zero, KeyExchangeTimeout = Timeout.InfiniteTimeSpan }).WithTimeout();
        await using SshServerConnection server = await accept.WithTimeout();

        silent.Pause(); // the client's KEXINIT goes out, the server's answer is never read
        client.Transport.RequestKeyExchange();
        await clock.WhenScheduledAsync(TimeSpan.FromMinutes(1)).WithTimeout();
        clock.AdvanceBy(TimeSpan.FromSeconds(59));
        Assert.False(server.Completion.IsCompleted);

        clock.AdvanceBy(TimeSpan.FromSeconds(2));

        SshConnectionException error = Assert.IsType<SshConnectionException>(await server.Completion.WithTimeout());
        Assert.True(error.InnerException is TimeoutException, error.ToString());
        Assert.Equal(DisconnectReason.ConnectionLost, error.Reason);
        Assert.Contains("re-exchange", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_completed_re_exchange_leaves_no_timer_behind()
    {
        var clock = new VirtualClock();
        var clientLogs = new LogCollector();
        var serverLogs = new LogCollector();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("ok\n")) with { Scheduler = clock, RekeyInterval = TimeSpan.Zero, LoggerFactory = serverLogs },
            InMemoryServer.DefaultClientOptions() with { Scheduler = clock, RekeyInterval = TimeSpan.Zero, LoggerFactory = clientLogs });

        await RekeyAsync(pair.Client.Transport, clientLogs, pair.Server.Transport, serverLogs);
        Assert.Equal("ok\n", (await pair.Client.RunAsync("x").WaitAsync(TestTimeout.Default)).Stdout);

        Assert.Equal(0, clock.PendingCount);
    }

    [Fact]
    public async Task The_server_refuses_a_re_exchange_before_authentication()
    {
        (Stream clientStream, Stream serverStream) = InMemoryStream.CreatePair();
        Task<SshServerConnection> accept = SshServer.AcceptAsync(serverStream, InMemoryServer.DefaultServerOptions());
        await using var client = new SshTransport(clientStream, new TransportSettings { IsServer = false, Algorithms = SshAlgorithms.Default });
        await client.StartAsync(CancellationToken.None).WithTimeout();

        client.RequestKeyExchange();

        SshConnectionException told = await Assert.ThrowsAnyAsync<SshConnectionException>(() => client.ReceiveAsync(CancellationToken.None).AsTask().WithTimeout());
        Assert.Equal(DisconnectReason.ProtocolError, told.Reason);
        Assert.False(told.IsLocal);
        SshConnectionException error = await Assert.ThrowsAnyAsync<SshConnectionException>(() => accept.WithTimeout());
        Assert.Contains("before authentication", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Peer_initiated_re_exchanges_beyond_the_rate_limit_end_the_connection()
    {
        var clock = new VirtualClock();
        var clientLogs = new LogCollector();
        var serverLogs = new LogCollector();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            InMemoryServer.DefaultServerOptions() with { Scheduler = clock, RekeyInterval = TimeSpan.Zero, LoggerFactory = serverLogs },
            InMemoryServer.DefaultClientOptions() with { Scheduler = clock, RekeyInterval = TimeSpan.Zero, LoggerFactory = clientLogs });
        int limit = TransportSettings.DefaultMaxPeerKeyExchanges;

        for (int i = 0; i < limit; i++)
        {
            await RekeyAsync(pair.Client.Transport, clientLogs, pair.Server.Transport, serverLogs);
        }

        clock.AdvanceBy(TransportSettings.DefaultPeerKeyExchangeWindow); // the window slides: these no longer count
        for (int i = 0; i < limit; i++)
        {
            await RekeyAsync(pair.Client.Transport, clientLogs, pair.Server.Transport, serverLogs);
        }

        Assert.False(pair.Server.Completion.IsCompleted);
        pair.Client.Transport.RequestKeyExchange();

        SshConnectionException error = Assert.IsType<SshConnectionException>(await pair.Server.Completion.WithTimeout());
        Assert.Equal(DisconnectReason.ProtocolError, error.Reason);
        Assert.Contains("key re-exchanges within", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Both_sides_re_key_after_the_packet_limit()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("ok\n")));
        Assert.True(SshTransport.DefaultRekeyPackets < 1L << 31);
        pair.Client.Transport.PacketRekeyLimit = 20;

        for (int i = 0; i < 6; i++)
        {
            Assert.Equal("ok\n", (await pair.Client.RunAsync("x").WaitAsync(TestTimeout.Default)).Stdout);
        }

        Assert.True(pair.Client.Transport.KeyExchangeCount > 1, $"expected a re-key by packet count, saw {pair.Client.Transport.KeyExchangeCount} exchange(s)");
    }

    /// <summary>Starts a re-exchange on <paramref name="initiator"/> and waits until both sides have logged it done.</summary>
    private static async Task RekeyAsync(SshTransport initiator, LogCollector initiatorLogs, SshTransport peer, LogCollector peerLogs)
    {
        int initiatorNext = initiator.KeyExchangeCount + 1;
        int peerNext = peer.KeyExchangeCount + 1;
        Task both = Task.WhenAll(
            initiatorLogs.WaitForAsync(SshLogEvents.Transport.KeyExchangeDone, e => e.Value<int>("Count") == initiatorNext),
            peerLogs.WaitForAsync(SshLogEvents.Transport.KeyExchangeDone, e => e.Value<int>("Count") == peerNext));
        initiator.RequestKeyExchange();
        await Task.WhenAny(both, initiator.Closed, peer.Closed).WithTimeout();
        Assert.True(both.IsCompletedSuccessfully, "the connection ended during the re-exchange: " + (initiator.Failure ?? peer.Failure));
    }
}
