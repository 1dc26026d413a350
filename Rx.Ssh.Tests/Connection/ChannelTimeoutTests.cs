using System.Reactive.Concurrency;
using Rx.Ssh.Connection;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Connection;

/// <summary>
/// <see cref="SshConnectionOptions.ChannelTimeouts"/> (issue 16, item 5; OpenSSH's ChannelTimeout):
/// a channel of a listed type that carries nothing for its timeout is closed, one that keeps
/// talking is kept, on either role. In virtual time; each step that must reach the peer before the
/// clock moves is awaited (an echo comes back).
/// </summary>
public sealed class ChannelTimeoutTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_idle_session_is_closed_by_the_server_after_its_timeout_and_a_talking_one_is_kept()
    {
        var clock = new HistoricalScheduler(DateTimeOffset.UtcNow);
        SshServerOptions options = InMemoryServer.DefaultServerOptions(EchoAsync) with
        {
            Scheduler = clock,
            ChannelTimeouts = new Dictionary<string, TimeSpan> { ["session"] = Timeout },
        };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(options);

        SshClientProcess idle = await pair.Client.CreateProcessAsync("idle").WaitAsync(TestTimeout.Default);
        SshClientProcess talking = await pair.Client.CreateProcessAsync("talking").WaitAsync(TestTimeout.Default);
        await EchoRoundTripAsync(talking, "start");

        // Five times the timeout, the talking session exchanging a line every 20 s.
        for (int step = 0; step < 15; step++)
        {
            clock.AdvanceBy(TimeSpan.FromSeconds(20));
            await EchoRoundTripAsync(talking, $"line {step}");
        }

        SshProcessExit exit = await idle.WaitForExitAsync().WaitAsync(TestTimeout.Default);
        Assert.Null(exit.ExitStatus);
        Assert.False(talking.WaitForExitAsync().IsCompleted);

        // The connection lives on: a new session works, and the talking one still echoes.
        Assert.Equal("again", (await pair.Client.RunAsync("again", new SshProcessOptions { Input = "again\n"u8.ToArray() }).WaitAsync(TestTimeout.Default)).Stdout.TrimEnd());
        await EchoRoundTripAsync(talking, "still here");
        Assert.False(pair.Client.Completion.IsCompleted);

        await talking.Stdin.CloseAsync().WaitAsync(TestTimeout.Default);
        await talking.DisposeAsync().AsTask().WaitAsync(TestTimeout.Default);
        await idle.DisposeAsync().AsTask().WaitAsync(TestTimeout.Default);
    }

    [Fact]
    public async Task A_session_is_not_closed_before_its_timeout()
    {
        var clock = new HistoricalScheduler(DateTimeOffset.UtcNow);
        SshServerOptions options = InMemoryServer.DefaultServerOptions(EchoAsync) with
        {
            Scheduler = clock,
            ChannelTimeouts = new Dictionary<string, TimeSpan> { ["*"] = Timeout },
        };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(options);

        SshClientProcess process = await pair.Client.CreateProcessAsync("x").WaitAsync(TestTimeout.Default);
        await EchoRoundTripAsync(process, "hello");
        clock.AdvanceBy(Timeout - TimeSpan.FromSeconds(1));

        // Still open: it answers, and that activity restarts its clock.
        await EchoRoundTripAsync(process, "before the timeout");
        clock.AdvanceBy(Timeout - TimeSpan.FromSeconds(1));
        await EchoRoundTripAsync(process, "still before");

        clock.AdvanceBy(Timeout * 2);
        Assert.Null((await process.WaitForExitAsync().WaitAsync(TestTimeout.Default)).ExitStatus);
        await process.DisposeAsync().AsTask().WaitAsync(TestTimeout.Default);
    }

    [Fact]
    public async Task The_client_closes_its_own_idle_channels_too()
    {
        var clock = new HistoricalScheduler(DateTimeOffset.UtcNow);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            InMemoryServer.DefaultServerOptions(EchoAsync),
            InMemoryServer.DefaultClientOptions() with
            {
                Scheduler = clock,
                ChannelTimeouts = new Dictionary<string, TimeSpan> { ["session"] = Timeout },
            });

        SshClientProcess process = await pair.Client.CreateProcessAsync("x").WaitAsync(TestTimeout.Default);
        await EchoRoundTripAsync(process, "hello");
        clock.AdvanceBy(Timeout * 2);

        Assert.Null((await process.WaitForExitAsync().WaitAsync(TestTimeout.Default)).ExitStatus);
        await process.DisposeAsync().AsTask().WaitAsync(TestTimeout.Default);
        Assert.False(pair.Client.Completion.IsCompleted);
    }

    [Fact]
    public void Exact_types_win_then_the_longest_pattern_and_zero_or_infinite_mean_none()
    {
        (string Pattern, TimeSpan Timeout)[] rules = ChannelTimeouts.Rules(new Dictionary<string, TimeSpan>
        {
            ["*"] = TimeSpan.FromMinutes(10),
            ["forwarded-*"] = TimeSpan.FromMinutes(2),
            ["forwarded-tcpip"] = TimeSpan.FromMinutes(1),
            ["direct-*"] = TimeSpan.Zero,
            ["x11-connection"] = System.Threading.Timeout.InfiniteTimeSpan,
        });

        Assert.Equal(TimeSpan.FromMinutes(1), ChannelTimeouts.For(rules, "forwarded-tcpip"));
        Assert.Equal(TimeSpan.FromMinutes(2), ChannelTimeouts.For(rules, "forwarded-streamlocal@openssh.com"));
        Assert.Equal(TimeSpan.FromMinutes(10), ChannelTimeouts.For(rules, "session"));

        // A zero entry is dropped, so a direct channel falls through to "*" (as sshd reads "none" as no rule).
        Assert.Equal(TimeSpan.FromMinutes(10), ChannelTimeouts.For(rules, "direct-tcpip"));
        Assert.Equal(TimeSpan.FromMinutes(10), ChannelTimeouts.For(rules, "x11-connection"));

        Assert.Null(ChannelTimeouts.For(ChannelTimeouts.Rules(null), "session"));
        Assert.Null(ChannelTimeouts.For(ChannelTimeouts.Rules(new Dictionary<string, TimeSpan> { ["session"] = TimeSpan.FromSeconds(5) }), "Session"));
    }

    [Fact]
    public void Off_by_default_as_OpenSSH()
    {
        Assert.Null(new SshServerOptions().ChannelTimeouts);
        Assert.Null(new SshClientOptions().ChannelTimeouts);
    }

    private static async Task EchoRoundTripAsync(SshClientProcess process, string line)
    {
        await process.Stdin.WriteLineAsync(line).WaitAsync(TestTimeout.Default);
        Assert.Equal(line, await process.Stdout.ReadLineAsync().AsTask().WaitAsync(TestTimeout.Default));
    }

    private static async Task EchoAsync(SshServerProcess process)
    {
        while (await process.Stdin.ReadLineAsync() is { } line)
        {
            await process.Stdout.WriteLineAsync(line);
        }
    }
}
