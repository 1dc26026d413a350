using System.Reactive;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Rx.Ssh.Testing;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Client.Hosts;

/// <summary>Many hosts composed with Rx (issue 5): each host its own in-memory Rx.Ssh server.</summary>
public sealed class FleetTests
{
    [Fact]
    public async Task FiftyHostsAreGatheredConcurrentlyWithOneResultPerHost()
    {
        const int count = 50;
        const int badPassword = 7;
        const int refusing = 23;
        var started = 0;
        var allRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var servers = new List<InMemorySshServer>();
        var accepted = new List<Task<Exception?>>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                int index = i;
                SshServerOptions options = InMemoryServer.DefaultServerOptions(async p =>
                {
                    // Every runnable host holds its answer until all of them are running: proves concurrency.
                    if (Interlocked.Increment(ref started) == count - 2)
                    {
                        allRunning.TrySetResult();
                    }

                    await allRunning.Task.WaitAsync(p.Closed);
                    await p.Stdout.WriteAsync($"host {index} ran {p.Command}\n");
                });
                if (i == refusing)
                {
                    options = options with { HandlerFactory = () => new RefusingHandler() };
                }

                var server = new InMemorySshServer(options);
                server.Connections.Subscribe(c =>
                {
                    lock (accepted)
                    {
                        accepted.Add(c.Completion);
                    }
                });
                servers.Add(server);
            }

            SshHost[] hosts = servers.Select((s, i) => s.GetHost(InMemoryServer.DefaultClientOptions() with { Password = i == badPassword ? "wrong" : "secret" }, $"host{i}")).ToArray();

            IList<SshHostResult<SshCompletedProcess>> results = await hosts.RunAll("uptime", maxConcurrency: SshHostExtensions.UnlimitedConcurrency).ToList().WithTimeout(TestTimeout.Long);

            Assert.Equal(count, results.Count);
            Assert.Equal(Enumerable.Range(0, count), results.Select(r => r.Index).Order());
            foreach (SshHostResult<SshCompletedProcess> result in results)
            {
                Assert.Same(hosts[result.Index], result.Host);
                switch (result.Index)
                {
                    case badPassword:
                        Assert.IsType<SshPermissionDeniedException>(result.Error);
                        break;
                    case refusing:
                        Assert.IsType<SshChannelRequestException>(result.Error);
                        break;
                    default:
                        Assert.True(result.Succeeded, result.Error?.ToString());
                        Assert.Equal($"host {result.Index} ran uptime\n", result.Value!.Stdout);
                        break;
                }
            }

            // Every connection was closed after its command (cold: connect, run, disconnect).
            Assert.Equal(count - 1, accepted.Count);
            await Task.WhenAll(accepted).WithTimeout();
        }
        finally
        {
            foreach (InMemorySshServer server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task RunAllWorksOnAtMostTheDefaultNumberOfHostsAtOnceAndStartsTheNextAsOneFinishes()
    {
        const int count = 25;
        int running = 0, peak = 0;
        var full = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var servers = new List<InMemorySshServer>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                servers.Add(new InMemorySshServer(InMemoryServer.DefaultServerOptions(async p =>
                {
                    int now = Interlocked.Increment(ref running);
                    InterlockedMax(ref peak, now);
                    if (now == SshHostExtensions.DefaultMaxConcurrency)
                    {
                        full.TrySetResult();
                    }

                    // The first ten hold until the limit is reached, so the peak is observed at the limit.
                    await release.Task.WaitAsync(p.Closed);
                    Interlocked.Decrement(ref running);
                    await p.Stdout.WriteAsync("ok\n");
                })));
            }

            SshHost[] hosts = [.. servers.Select((s, i) => s.GetHost(InMemoryServer.DefaultClientOptions(), $"host{i}"))];
            Task<IList<SshHostResult<SshCompletedProcess>>> all = hosts.RunAll("work").ToList().ToTask();

            await full.Task.WithTimeout();
            release.TrySetResult();
            IList<SshHostResult<SshCompletedProcess>> results = await all.WithTimeout(TestTimeout.Long);

            Assert.Equal(10, SshHostExtensions.DefaultMaxConcurrency);
            Assert.Equal(SshHostExtensions.DefaultMaxConcurrency, Volatile.Read(ref peak));
            Assert.Equal(count, results.Count(r => r.Succeeded && r.Value!.Stdout == "ok\n"));
            Assert.Equal(hosts.Select(h => h.Host).Order(), results.Select(r => r.Host.Host).Order());
        }
        finally
        {
            foreach (InMemorySshServer server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    [Fact]
    public async Task SelectManyOverHostsWorksAsWritten()
    {
        await using var one = new InMemorySshServer(InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("a b\n")));
        await using var two = new InMemorySshServer(InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("c\n")));
        SshHost[] hosts = [one.GetHost(InMemoryServer.DefaultClientOptions()), two.GetHost(InMemoryServer.DefaultClientOptions())];

        IList<SshCompletedProcess> results = await hosts.ToObservable().SelectMany(h => h.Run("ls")).ToList().WithTimeout();

        Assert.Equal(["a b\n", "c\n"], results.Select(r => r.Stdout).Order());
    }

    [Fact]
    public async Task MaterializeKeepsOneHostsFailureFromEndingTheOthers()
    {
        await using var good = new InMemorySshServer(InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("fine\n")));
        await using var refusing = new InMemorySshServer(InMemoryServer.DefaultServerOptions() with { HandlerFactory = () => new RefusingHandler() });
        SshHost[] hosts = [good.GetHost(InMemoryServer.DefaultClientOptions(), "good"), refusing.GetHost(InMemoryServer.DefaultClientOptions(), "bad")];

        // Without Materialize the first failure would end the SelectMany; with it every host reports.
        IList<(string Host, Notification<SshCompletedProcess> Outcome)> outcomes = await hosts.ToObservable()
            .SelectMany(h => h.Run("ls").Materialize().Where(n => n.Kind != NotificationKind.OnCompleted).Select(n => (h.Host, n)))
            .ToList()
            .WithTimeout();

        Assert.Equal(2, outcomes.Count);
        Assert.Equal("fine\n", outcomes.Single(o => o.Host == "good").Outcome.Value.Stdout);
        Assert.IsType<SshChannelRequestException>(outcomes.Single(o => o.Host == "bad").Outcome.Exception);
    }

    [Fact]
    public async Task WithoutIsolationTheFirstFailureEndsTheSequenceAndStopsTheOthers()
    {
        var slowClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var slow = new InMemorySshServer(InMemoryServer.DefaultServerOptions(async p =>
        {
            using CancellationTokenRegistration r = p.Closed.Register(() => slowClosed.TrySetResult());
            await Task.Delay(Timeout.Infinite, p.Closed).ContinueWith(_ => { }, TaskScheduler.Default);
        }));
        await using var refusing = new InMemorySshServer(InMemoryServer.DefaultServerOptions() with { HandlerFactory = () => new RefusingHandler() });
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using IDisposable watch = slow.Connections.Subscribe(_ => started.TrySetResult());
        SshHost slowHost = slow.GetHost(InMemoryServer.DefaultClientOptions());
        SshHost badHost = refusing.GetHost(InMemoryServer.DefaultClientOptions());

        IObservable<SshCompletedProcess> all = new[] { slowHost, badHost }.ToObservable()
            .SelectMany(h => h == badHost ? Observable.FromAsync(() => started.Task).SelectMany(_ => h.Run("ls")) : h.Run("sleep"));

        await Assert.ThrowsAsync<SshChannelRequestException>(() => all.ToTask().WithTimeout());
        await slowClosed.Task.WithTimeout();
    }

    [Fact]
    public async Task GatherReportsAnOperationWithoutValueAsAFailure()
    {
        await using var server = new InMemorySshServer(InMemoryServer.DefaultServerOptions());
        SshHost host = server.GetHost(InMemoryServer.DefaultClientOptions());

        SshHostResult<int> result = await new[] { host }.Gather(h => Observable.Empty<int>()).SingleAsync().WithTimeout();

        Assert.IsType<InvalidOperationException>(result.Error);
    }

    [Fact]
    public async Task AHostsProcessCanBeDrivenAndItsConnectionEndsWithIt()
    {
        await using var server = new InMemorySshServer(InMemoryServer.DefaultServerOptions(async p =>
        {
            while (await p.Stdin.ReadLineAsync() is { } line)
            {
                await p.Stdout.WriteLineAsync(line.ToUpperInvariant());
            }
        }));
        SshHost host = server.GetHost(InMemoryServer.DefaultClientOptions());
        Task<SshServerConnection> connection = server.Connections.FirstAsync().ToTask();

        string answer = await host.CreateProcess("upper").SelectMany(async p =>
        {
            await p.Stdin.WriteLineAsync("hello");
            string? line = await p.Stdout.ReadLineAsync();
            await p.Stdin.CloseAsync();
            await p.Stdout.DiscardAsync();
            await p.Stderr.DiscardAsync();
            return line!;
        }).LastAsync().WithTimeout();

        Assert.Equal("HELLO", answer);
        await (await connection.WithTimeout()).Completion.WithTimeout();
    }

    private sealed class RefusingHandler : SshServerHandler
    {
        public override SshServerSession? SessionRequested(SshServerConnection connection) => new RefusingSession();
    }

    // Refuses exec and shell (the base class's defaults).
    private sealed class RefusingSession : SshServerSession;
}
