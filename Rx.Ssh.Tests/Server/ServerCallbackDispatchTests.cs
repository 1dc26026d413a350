using System.Diagnostics;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Server;

/// <summary>
/// Session callbacks run off the connection's dispatch loop (issue 11, item 4): a handler that
/// blocks for seconds in <see cref="SshServerHandler.SessionRequested"/> or
/// <see cref="SshServerSession.ConnectionMade"/> holds back neither another channel's data nor
/// the replies to global requests (keepalives), and <see cref="SshServerOptions.MaxSessions"/>
/// still counts exactly.
/// </summary>
public sealed class ServerCallbackDispatchTests
{
    /// <summary>How long the blocking handler blocks at most (the behaviour under test; the test releases it sooner).</summary>
    private static readonly TimeSpan Block = TimeSpan.FromSeconds(5);

    /// <summary>What "not delayed" means: far below <see cref="Block"/>.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_blocking_session_handler_delays_neither_another_channels_data_nor_a_keepalive_reply(bool blockInConnectionMade)
    {
        using var release = new ManualResetEventSlim();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(EchoAsync) with
        {
            HandlerFactory = () => new BlockingSecondSession(blockInConnectionMade, entered, release),
        });
        await using SshClientProcess echo = await pair.Client.CreateProcessAsync("echo").WaitAsync(TestTimeout.Default);
        await echo.Stdin.WriteLineAsync("warm-up").WaitAsync(TestTimeout.Default);
        Assert.Equal("warm-up", await echo.Stdout.ReadLineAsync().AsTask().WaitAsync(TestTimeout.Default));

        // The second session's handler blocks (in SessionRequested, or in ConnectionMade after the open was confirmed).
        Task<SshClientProcess> blocked = pair.Client.CreateProcessAsync("blocked");
        await entered.Task.WaitAsync(TestTimeout.Default);

        var clock = Stopwatch.StartNew();
        await echo.Stdin.WriteLineAsync("ping").WaitAsync(TestTimeout.Default);
        Assert.Equal("ping", await echo.Stdout.ReadLineAsync().AsTask().WaitAsync(TestTimeout.Default));
        TimeSpan echoTime = clock.Elapsed;

        clock.Restart();
        await pair.Client.SendGlobalRequestAsync("keepalive@openssh.com", ReadOnlyMemory<byte>.Empty).WaitAsync(TestTimeout.Default);
        TimeSpan keepAliveTime = clock.Elapsed;

        Assert.False(release.IsSet); // both measured while the handler still blocked
        Assert.True(echoTime < Prompt, $"The other channel's echo took {echoTime}.");
        Assert.True(keepAliveTime < Prompt, $"The keepalive reply took {keepAliveTime}.");

        release.Set();
        await using SshClientProcess second = await blocked.WaitAsync(TestTimeout.Default);
        await echo.Stdin.CloseAsync().WaitAsync(TestTimeout.Default);
        Assert.Equal(0, (await echo.WaitForExitAsync().WaitAsync(TestTimeout.Default)).ExitStatus);
    }

    [Fact]
    public async Task Sessions_still_being_decided_count_toward_MaxSessions()
    {
        using var release = new ManualResetEventSlim();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("ok\n")) with
        {
            MaxSessions = 2,
            HandlerFactory = () => new SlowDecisions(release),
        });

        Task<SshCompletedProcess> first = pair.Client.RunAsync("a");
        Task<SshCompletedProcess> second = pair.Client.RunAsync("b");

        // Both opens went out before this one on the same connection; neither is decided yet (the handler waits).
        SshChannelOpenException refused = await Assert.ThrowsAsync<SshChannelOpenException>(() => pair.Client.RunAsync("c").WaitAsync(TestTimeout.Default));

        Assert.Equal(ChannelOpenFailureReason.ResourceShortage, refused.Reason);
        release.Set();
        Assert.Equal("ok\n", (await first.WaitAsync(TestTimeout.Default)).Stdout);
        Assert.Equal("ok\n", (await second.WaitAsync(TestTimeout.Default)).Stdout);
        Assert.Equal("ok\n", (await pair.Client.RunAsync("d").WaitAsync(TestTimeout.Default)).Stdout);
    }

    [Fact]
    public async Task Sessions_are_decided_one_at_a_time()
    {
        int decided = 0;
        int inside = 0;
        bool overlapped = false;
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("ok\n")) with
        {
            HandlerFactory = () => new RecordingDecisions(() =>
            {
                if (Interlocked.Increment(ref inside) != 1)
                {
                    overlapped = true;
                }

                Thread.SpinWait(20_000); // widens the window an overlap would need
                Interlocked.Decrement(ref inside);
                Interlocked.Increment(ref decided);
            }),
        });

        Task<SshCompletedProcess>[] runs = [.. Enumerable.Range(0, 8).Select(i => pair.Client.RunAsync("x"))];
        await Task.WhenAll(runs).WaitAsync(TestTimeout.Default);

        Assert.False(overlapped);
        Assert.Equal(8, Volatile.Read(ref decided));
    }

    private static async Task EchoAsync(SshServerProcess process)
    {
        while (await process.Stdin.ReadLineAsync() is { } line)
        {
            await process.Stdout.WriteLineAsync(line);
        }
    }

    /// <summary>Serves the first session with the process handler; the second blocks until released.</summary>
    private sealed class BlockingSecondSession(bool inConnectionMade, TaskCompletionSource entered, ManualResetEventSlim release) : SshServerHandler
    {
        private int _sessions;

        public override SshServerSession? SessionRequested(SshServerConnection connection)
        {
            if (Interlocked.Increment(ref _sessions) == 1)
            {
                return base.SessionRequested(connection);
            }

            if (inConnectionMade)
            {
                return new BlockingSession(entered, release);
            }

            entered.TrySetResult();
            release.Wait(Block);
            return new BlockingSession(null, release);
        }
    }

    private sealed class BlockingSession(TaskCompletionSource? entered, ManualResetEventSlim release) : SshServerSession
    {
        public override void ConnectionMade(SshServerChannel channel)
        {
            if (entered is not null)
            {
                entered.TrySetResult();
                release.Wait(Block);
            }
        }

        public override bool ExecRequested(string command) => true;
    }

    /// <summary>Each decision waits until the test has seen the third open refused.</summary>
    private sealed class SlowDecisions(ManualResetEventSlim release) : SshServerHandler
    {
        public override SshServerSession? SessionRequested(SshServerConnection connection)
        {
            release.Wait(Block);
            return base.SessionRequested(connection);
        }
    }

    private sealed class RecordingDecisions(Action body) : SshServerHandler
    {
        public override SshServerSession? SessionRequested(SshServerConnection connection)
        {
            body();
            return base.SessionRequested(connection);
        }
    }
}
