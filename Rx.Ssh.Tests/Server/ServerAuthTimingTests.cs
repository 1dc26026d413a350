using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Rx.Ssh.Authentication;
using Rx.Ssh.Keys;
using Rx.Ssh.Messages;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;
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

            // The server has checked the password and armed the delay (the user's target, at least
            // the configured delay); nothing goes out until the clock moves.
            TimeSpan target = FailureTiming.TargetFor(user, Delay);
            Assert.InRange(target, Delay, Delay * 1.5);
            await clock.WhenScheduledAsync(target).WaitAsync(TestTimeout.Default);
            Assert.False(reply.IsCompleted);
            clock.AdvanceBy(target - TimeSpan.FromMilliseconds(1));
            Assert.False(reply.IsCompleted);

            clock.AdvanceBy(TimeSpan.FromMilliseconds(1));
            ServerAuthenticationTests.AssertFailure(await reply.WaitAsync(TestTimeout.Default));

            // Success is not delayed.
            await client.SendPasswordAsync("alice", "secret");
            Assert.Equal(MessageNumber.UserAuthSuccess, (await client.ReceiveAsync())[0]);
            await (await server.WaitAsync(TestTimeout.Default)).DisposeAsync();
        }
    }

    [Theory]
    [InlineData("none")]
    [InlineData("query")]
    public async Task A_repeated_none_and_failed_publickey_queries_are_delayed_too(string request)
    {
        var clock = new VirtualClock();
        SshPrivateKey listed = SshPrivateKey.Generate("ssh-ed25519");
        SshServerOptions options = Options(clock) with { AuthorizedKeys = _ => AuthorizedKeysFile.Parse(listed.PublicKey.ToOpenSshString("k") + "\n") };
        (RawSshClient client, Task<SshServerConnection> _) = await RawSshClient.StartInMemoryAsync(options);
        await using (client)
        {
            await client.RequestUserAuthAsync();
            if (request == "none")
            {
                // The opening none is answered at once (every client sends it to learn the methods);
                // a second one is a counted failure and waits for the target.
                await client.SendAuthRequestAsync("alice", "none");
                ServerAuthenticationTests.AssertFailure(await client.ReceiveSkippingBannersAsync().WaitAsync(TestTimeout.Default));
                await client.SendAuthRequestAsync("alice", "none");
            }
            else
            {
                await client.SendPublicKeyAsync("alice", SshPrivateKey.Generate("ssh-ed25519"), "ssh-ed25519", sign: false);
            }

            Task<byte[]> reply = client.ReceiveSkippingBannersAsync();
            TimeSpan target = FailureTiming.TargetFor("alice", Delay);
            await clock.WhenScheduledAsync(target).WaitAsync(TestTimeout.Default);
            clock.AdvanceBy(target - TimeSpan.FromMilliseconds(1));
            Assert.False(reply.IsCompleted);
            clock.AdvanceBy(TimeSpan.FromMilliseconds(1));
            ServerAuthenticationTests.AssertFailure(await reply.WaitAsync(TestTimeout.Default));

            // An accepted key's query is no failure: PK_OK comes at once.
            await client.SendPublicKeyAsync("alice", listed, "ssh-ed25519", sign: false);
            Assert.Equal(MessageNumber.UserAuthPkOk, (await client.ReceiveAsync().WaitAsync(TestTimeout.Default))[0]);
        }
    }

    [Fact]
    public async Task A_check_slower_than_the_target_is_answered_at_the_next_multiple_of_it()
    {
        var clock = new VirtualClock();
        TimeSpan target = FailureTiming.TargetFor("alice", Delay);
        TimeSpan slow = target + (target / 2);
        SshServerOptions options = Options(clock) with
        {
            PasswordValidator = async (context, password) =>
            {
                await Observable.Timer(slow, clock).ToTask();
                return false;
            },
        };
        (RawSshClient client, Task<SshServerConnection> _) = await RawSshClient.StartInMemoryAsync(options);
        await using (client)
        {
            await client.RequestUserAuthAsync();
            DateTimeOffset sent = clock.Now;
            await client.SendPasswordAsync("alice", "wrong");
            Task<byte[]> reply = client.ReceiveSkippingBannersAsync();

            // The check itself takes 1.5 targets; the answer waits for the second multiple.
            await clock.WhenScheduledAsync(slow).WaitAsync(TestTimeout.Default);
            clock.AdvanceBy(slow);
            await clock.WhenScheduledAsync(due => due == sent + (2 * target)).WaitAsync(TestTimeout.Default);
            Assert.False(reply.IsCompleted);
            clock.AdvanceTo(sent + (2 * target) - TimeSpan.FromMilliseconds(1));
            Assert.False(reply.IsCompleted);
            clock.AdvanceTo(sent + (2 * target));
            ServerAuthenticationTests.AssertFailure(await reply.WaitAsync(TestTimeout.Default));
        }
    }

    [Fact]
    public void Failure_targets_are_fixed_per_user_name_and_grow_past_the_work()
    {
        TimeSpan delay = TimeSpan.FromMilliseconds(100);
        string[] names = [.. Enumerable.Range(0, 50).Select(i => "user" + i)];
        TimeSpan[] targets = [.. names.Select(n => FailureTiming.TargetFor(n, delay))];
        Assert.All(targets, t => Assert.InRange(t, delay, (delay * 1.5) - TimeSpan.FromTicks(1)));
        Assert.Equal(targets, names.Select(n => FailureTiming.TargetFor(n, delay)));
        Assert.True(targets.Distinct().Count() > 40, "targets should differ between user names");
        Assert.Equal(TimeSpan.Zero, FailureTiming.TargetFor("alice", TimeSpan.Zero));

        TimeSpan target = TimeSpan.FromMilliseconds(120);
        Assert.Equal(target, FailureTiming.AnswerAfter(target, TimeSpan.FromMilliseconds(5)));
        Assert.Equal(target * 2, FailureTiming.AnswerAfter(target, target));
        Assert.Equal(target * 2, FailureTiming.AnswerAfter(target, TimeSpan.FromMilliseconds(200)));
        Assert.Equal(target * 4, FailureTiming.AnswerAfter(target, TimeSpan.FromMilliseconds(400)));
        Assert.Equal(TimeSpan.Zero, FailureTiming.AnswerAfter(TimeSpan.Zero, TimeSpan.FromSeconds(1)));
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
