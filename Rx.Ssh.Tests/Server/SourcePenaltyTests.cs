using System.Net;
using System.Reactive.Concurrency;
using Rx.Ssh.Server.Limits;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Testing;

namespace Rx.Ssh.Tests.Server;

/// <summary>
/// Per-source penalties (issue 16, item 5; OpenSSH 9.8's PerSourcePenalties idea): connections
/// that end badly before authenticating add to their source's penalty; past the minimum the source
/// is refused at accept until it runs out. In virtual time (the options' scheduler).
/// </summary>
public sealed class SourcePenaltyTests
{
    private static readonly IPAddress Source = IPAddress.Parse("192.0.2.7");

    [Fact]
    public void Penalties_add_up_and_refuse_only_from_the_minimum_until_they_run_out()
    {
        var clock = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        var box = new SourcePenaltyBox(SshSourcePenalties.Default, clock);

        box.Add(Source, PreAuthEnd.AuthenticationFailure);
        box.Add(Source, PreAuthEnd.AuthenticationFailure);
        Assert.Null(box.Refusal(Source)); // 10 s: below the 15 s minimum, one mistyped password costs nothing

        box.Add(Source, PreAuthEnd.AuthenticationFailure);
        Assert.Equal(TimeSpan.FromSeconds(15), box.Refusal(Source));

        clock.AdvanceBy(TimeSpan.FromSeconds(14));
        Assert.Equal(TimeSpan.FromSeconds(1), box.Refusal(Source));
        clock.AdvanceBy(TimeSpan.FromSeconds(1));
        Assert.Null(box.Refusal(Source));
        Assert.Equal(0, box.Count);
    }

    [Fact]
    public void Each_kind_of_end_costs_its_own_amount_and_the_total_is_capped()
    {
        var clock = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        var box = new SourcePenaltyBox(SshSourcePenalties.Default with { Minimum = TimeSpan.FromSeconds(1), Maximum = TimeSpan.FromSeconds(30) }, clock);

        box.Add(Source, PreAuthEnd.NoAuthentication);
        Assert.Equal(TimeSpan.FromSeconds(1), box.Refusal(Source));
        box.Add(Source, PreAuthEnd.GraceExceeded);
        Assert.Equal(TimeSpan.FromSeconds(11), box.Refusal(Source));
        for (int i = 0; i < 10; i++)
        {
            box.Add(Source, PreAuthEnd.AuthenticationFailure);
        }

        Assert.Equal(TimeSpan.FromSeconds(30), box.Refusal(Source));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("::1")]
    [InlineData("198.51.100.77")]
    public void Loopback_and_exempt_networks_are_never_penalized(string address)
    {
        var box = new SourcePenaltyBox(SshSourcePenalties.Default with { Minimum = TimeSpan.FromSeconds(1), Exempt = [IPNetwork.Parse("198.51.100.0/24")] }, new HistoricalScheduler());

        box.Add(IPAddress.Parse(address), PreAuthEnd.AuthenticationFailure);

        Assert.Null(box.Refusal(IPAddress.Parse(address)));
        Assert.Equal(0, box.Count);
    }

    [Fact]
    public void The_table_is_bounded_and_off_means_off()
    {
        var clock = new HistoricalScheduler(DateTimeOffset.UnixEpoch);
        var box = new SourcePenaltyBox(SshSourcePenalties.Default with { MaxSources = 2, Minimum = TimeSpan.FromSeconds(1) }, clock);
        Assert.True(box.Add(IPAddress.Parse("192.0.2.1"), PreAuthEnd.NoAuthentication));
        Assert.True(box.Add(IPAddress.Parse("192.0.2.2"), PreAuthEnd.NoAuthentication));
        Assert.False(box.Add(IPAddress.Parse("192.0.2.3"), PreAuthEnd.NoAuthentication));
        Assert.Null(box.Refusal(IPAddress.Parse("192.0.2.3")));

        clock.AdvanceBy(TimeSpan.FromSeconds(2)); // the others ran out: room again
        Assert.True(box.Add(IPAddress.Parse("192.0.2.3"), PreAuthEnd.NoAuthentication));

        var off = new SourcePenaltyBox(SshSourcePenalties.Off, clock);
        off.Add(Source, PreAuthEnd.AuthenticationFailure);
        Assert.Null(off.Refusal(Source));
    }

    [Fact]
    public async Task A_source_failing_logins_is_refused_at_accept_while_others_get_in_and_it_returns_once_the_penalty_ran_out()
    {
        var clock = new HistoricalScheduler(DateTimeOffset.UtcNow);
        SshServerOptions options = InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("ok\n")) with
        {
            Scheduler = clock,
            AuthFailureDelay = TimeSpan.Zero,
            RandomDropStart = 1000,
        };
        SshClientOptions wrong = InMemoryServer.DefaultClientOptions() with { Password = "wrong" };

        for (int i = 0; i < 3; i++)
        {
            SshConnectionException refused = await Assert.ThrowsAnyAsync<SshConnectionException>(() => LoginAsync(options, Source, wrong));
            Assert.IsNotType<SshHostKeyNotTrustedException>(refused);
        }

        // 3 × 5 s reached the 15 s minimum: the next connection is closed at accept, naming why.
        SshConnectionException penalized = await Assert.ThrowsAsync<SshConnectionException>(() => AcceptOnlyAsync(options, Source));
        Assert.Equal(DisconnectReason.TooManyConnections, penalized.Reason);
        Assert.Contains("penalized", penalized.Message, StringComparison.Ordinal);

        // Another source gets in and logs in.
        await LoginAsync(options, IPAddress.Parse("192.0.2.8"), InMemoryServer.DefaultClientOptions());

        clock.AdvanceBy(TimeSpan.FromSeconds(16));
        await LoginAsync(options, Source, InMemoryServer.DefaultClientOptions());
    }

    private static IPEndPoint At(IPAddress address) => new(address, 50000);

    private static async Task LoginAsync(SshServerOptions options, IPAddress from, SshClientOptions client)
    {
        (Stream clientSide, Stream serverSide) = InMemoryStream.CreatePair();
        Task<SshServerConnection> accepted = SshServer.AcceptAsync(serverSide, options, At(from));
        try
        {
            await using SshClientConnection connection = await SshClient.ConnectAsync(clientSide, "in-memory", 22, client).WithTimeout();
            await using SshServerConnection server = await accepted.WithTimeout();
            Assert.Equal("ok\n", (await connection.RunAsync("x").WithTimeout()).Stdout);
        }
        catch
        {
            await clientSide.DisposeAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => accepted).WithTimeout();
            throw;
        }
    }

    private static async Task AcceptOnlyAsync(SshServerOptions options, IPAddress from)
    {
        (Stream clientSide, Stream serverSide) = InMemoryStream.CreatePair();
        await using (clientSide)
        {
            await SshServer.AcceptAsync(serverSide, options, At(from)).WithTimeout();
        }
    }
}
