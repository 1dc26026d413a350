using Rx.Ssh.Messages;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Testing;

namespace Rx.Ssh.Tests.Server;

/// <summary>The server's authentication timers, in virtual time: failure delay and login grace.</summary>
public sealed class ServerAuthTimingTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    private static SshServerOptions Options(VirtualClock clock) => InMemoryServer.DefaultServerOptions() with
    {
        Scheduler = clock,
        AuthFailureDelay = Delay,
        LoginGraceTime = Grace,
    };

    [Theory]
    [InlineData("alice")]
    [InlineData("nosuchuser")]
    public async Task Failure_is_answered_only_after_the_delay_for_known_and_unknown_users(string user)
    {
        var clock = new VirtualClock();
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(Options(clock));
        await using (client)
        {
            await client.RequestUserAuthAsync();
            await client.SendPasswordAsync(user, "wrong");
            Task<byte[]> reply = client.ReceiveSkippingBannersAsync();

            // The server has checked the password and armed the delay; nothing goes out until the clock moves.
            await clock.WhenScheduledAsync(Delay).WaitAsync(TestTimeout.Default);
            Assert.False(reply.IsCompleted);
            clock.AdvanceBy(Delay - TimeSpan.FromMilliseconds(1));
            Assert.False(reply.IsCompleted);

            clock.AdvanceBy(TimeSpan.FromMilliseconds(1));
            ServerAuthenticationTests.AssertFailure(await reply.WaitAsync(TestTimeout.Default));

            // Success is not delayed.
            await client.SendPasswordAsync("alice", "secret");
            Assert.Equal(MessageNumber.UserAuthSuccess, (await client.ReceiveAsync())[0]);
            await (await server.WaitAsync(TestTimeout.Default)).DisposeAsync();
        }
    }

    [Fact]
    public async Task Login_grace_ends_an_idle_client_when_the_clock_passes_it_not_before()
    {
        var clock = new VirtualClock();
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(Options(clock));
        await using (client)
        {
            await client.RequestUserAuthAsync();
            Task<SshConnectionException> disconnect = client.ExpectDisconnectAsync(TestTimeout.Long);

            clock.AdvanceBy(Grace - TimeSpan.FromMilliseconds(1));
            Assert.False(server.IsCompleted);
            Assert.False(disconnect.IsCompleted);

            clock.AdvanceBy(TimeSpan.FromMilliseconds(1));
            SshConnectionException error = await Assert.ThrowsAnyAsync<SshConnectionException>(() => server.WaitAsync(TestTimeout.Default));
            Assert.Contains("grace", error.Message, StringComparison.OrdinalIgnoreCase);
            Assert.IsType<TimeoutException>(error.InnerException);

            SshConnectionException seen = await disconnect.WaitAsync(TestTimeout.Default);
            Assert.False(seen.IsLocal);
            Assert.Contains("grace", seen.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Login_grace_ends_a_client_that_stops_mid_packet_while_others_are_served()
    {
        var clock = new VirtualClock();
        // The handshake timeout (shorter) is off: this is about the login grace time.
        SshServerOptions options = Options(clock) with { ProcessHandler = p => p.Stdout.WriteAsync("hello\n"), HandshakeTimeout = Timeout.InfiniteTimeSpan };

        // A client that sends its version line and half a packet, then nothing.
        (Stream stalled, Stream serverSide) = InMemoryStream.CreatePair();
        Task<SshServerConnection> stalledServer = SshServer.AcceptAsync(serverSide, options);
        await stalled.WriteAsync("SSH-2.0-Staller\r\n"u8.ToArray());
        await stalled.WriteAsync(new byte[] { 0, 0, 0, 12, 6, 20, 1, 2 }); // 8 of a 16-byte KEXINIT packet

        // A well-behaved client on the same server options and clock is served meanwhile.
        await using (InMemoryServer pair = await InMemoryServer.StartAsync(options))
        {
            SshCompletedProcess result = await pair.Client.RunAsync("hi").WaitAsync(TestTimeout.Default);
            Assert.Equal("hello\n", result.Stdout);
            Assert.False(stalledServer.IsCompleted);

            clock.AdvanceBy(Grace);
            SshConnectionException error = await Assert.ThrowsAnyAsync<SshConnectionException>(() => stalledServer.WaitAsync(TestTimeout.Default));
            Assert.Contains("grace", error.Message, StringComparison.OrdinalIgnoreCase);

            // The authenticated client's own grace timer was cancelled when it logged in.
            result = await pair.Client.RunAsync("again").WaitAsync(TestTimeout.Default);
            Assert.Equal("hello\n", result.Stdout);
        }

        // The stalled client sees its connection closed.
        byte[] buffer = new byte[4096];
        int total = 0;
        int n;
        while ((n = await stalled.ReadAsync(buffer).AsTask().WaitAsync(TestTimeout.Default)) > 0)
        {
            total += n;
        }

        Assert.True(total > 0); // at least the server's version line came before the close
    }
}
