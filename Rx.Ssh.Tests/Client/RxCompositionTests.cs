using System.Net;
using System.Net.Sockets;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Rx.Ssh.Testing;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Client;

/// <summary>The Rx operators users reach for (issue 5): Timeout, Retry, ObserveOn, Merge, disposal.</summary>
public sealed class RxCompositionTests
{
    [Fact]
    public async Task TimeoutDisposesEachAttemptAndRetryConnectsAfresh()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            var time = new HistoricalScheduler();
            Task<SshClientConnection> connect = SshClient.Connect("127.0.0.1", port, InMemoryServer.DefaultClientOptions())
                .Timeout(TimeSpan.FromSeconds(5), time)
                .Retry(3)
                .ToTask();

            for (int attempt = 0; attempt < 3; attempt++)
            {
                // A server that accepts and never speaks: each attempt stalls until its timeout.
                using Socket stalled = await listener.AcceptSocketAsync().WithTimeout();
                Assert.False(connect.IsCompleted);
                time.AdvanceBy(TimeSpan.FromSeconds(5));
                await ReadToEndAsync(stalled).WithTimeout();
            }

            await Assert.ThrowsAsync<TimeoutException>(() => connect.WithTimeout());
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task RetryAfterATimeoutSucceedsOnTheNextAttemptInVirtualTime()
    {
        var time = new HistoricalScheduler();
        await using var server = new InMemorySshServer(InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("up\n")));
        (Stream Client, Stream Far)? stalled = null;
        var firstAttempt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int attempts = 0;
        SshHost host = server.GetHost(InMemoryServer.DefaultClientOptions()) with
        {
            OpenStream = ct =>
            {
                if (Interlocked.Increment(ref attempts) == 1)
                {
                    // The first attempt reaches a peer that never answers.
                    stalled = InMemoryStream.CreatePair();
                    firstAttempt.TrySetResult();
                    return Task.FromResult(stalled.Value.Client);
                }

                return server.OpenStreamAsync(ct);
            },
        };

        Task<SshClientConnection> connect = host.Connect().Timeout(TimeSpan.FromSeconds(5), time).Retry(2).ToTask();
        await firstAttempt.Task.WithTimeout();
        time.AdvanceBy(TimeSpan.FromSeconds(5));
        await using SshClientConnection connection = await connect.WithTimeout();

        Assert.Equal(2, attempts);
        Assert.Equal("up\n", (await connection.RunAsync("uptime").WithTimeout()).Stdout);
        await ReadToEndAsync(stalled!.Value.Far).WithTimeout();
    }

    [Fact]
    public async Task OutputObservedOnAUiStyleSchedulerArrivesThereInOrder()
    {
        const int lines = 200;
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            for (int i = 0; i < lines; i++)
            {
                await p.Stdout.WriteAsync($"{i}\n");
            }
        }));
        using var ui = new EventLoopScheduler();
        int uiThread = await Observable.Start(() => Environment.CurrentManagedThreadId, ui).ToTask().WithTimeout();
        var seen = new List<(int Thread, string Text)>();

        await pair.Client.Exec("count")
            .OfType<SshDataReceived>()
            .Select(d => d.Text)
            .ObserveOn(ui)
            .Do(text => seen.Add((Environment.CurrentManagedThreadId, text)))
            .DefaultIfEmpty()
            .LastAsync()
            .WithTimeout();

        Assert.All(seen, s => Assert.Equal(uiThread, s.Thread));
        Assert.Equal(string.Concat(Enumerable.Range(0, lines).Select(i => $"{i}\n")), string.Concat(seen.Select(s => s.Text)));
    }

    [Fact]
    public async Task ExecMergesStdoutAndStderrInArrivalOrder()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            await p.Stdout.WriteAsync("o1\n");
            await p.Stderr.WriteAsync("e1\n");
            await p.Stdout.WriteAsync("o2\n");
            await p.Stderr.WriteAsync("e2\n");
        }));

        IList<SshDataReceived> output = await pair.Client.Exec("mixed").OfType<SshDataReceived>().ToList().WithTimeout();

        Assert.Equal(["out o1\n", "err e1\n", "out o2\n", "err e2\n"], output.Select(d => (d.Stream == SshStandardStream.Stdout ? "out " : "err ") + d.Text));
    }

    [Fact]
    public async Task AProcessOutputMergesBothStreamsTagged()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            for (int i = 0; i < 50; i++)
            {
                await p.Stdout.WriteAsync($"o{i}\n");
                await p.Stderr.WriteAsync($"e{i}\n");
            }
        }));
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("mixed").WithTimeout();

        IList<SshOutputText> output = await process.Output.ToList().WithTimeout();

        Assert.Equal(string.Concat(Enumerable.Range(0, 50).Select(i => $"o{i}\n")), string.Concat(output.Where(o => o.Stream == SshStandardStream.Stdout).Select(o => o.Text)));
        Assert.Equal(string.Concat(Enumerable.Range(0, 50).Select(i => $"e{i}\n")), string.Concat(output.Where(o => o.Stream == SshStandardStream.Stderr).Select(o => o.Text)));
        Assert.Equal(new SshProcessExit(0), await process.WaitForExitAsync().WithTimeout());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("TERM")]
    public async Task DisposingExecMidRunClosesTheChannelAfterTheSignalAsked(string? signal)
    {
        var serverSaw = new TaskCompletionSource<string[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(p => WaitForCloseAsync(p, serverSaw)));
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        IDisposable subscription = pair.Client.Exec("wait", new SshProcessOptions { DisposeSignal = signal })
            .Subscribe(e => started.TrySetResult(), _ => { });
        await started.Task.WithTimeout();
        subscription.Dispose();

        Assert.Equal(signal is null ? [] : [signal], await serverSaw.Task.WithTimeout());
        Assert.Equal("still fine\n", (await pair.Client.RunAsync("next").WithTimeout()).Stdout);
    }

    [Fact]
    public async Task DisposingAProcessSendsItsSignalThenClosesTheChannel()
    {
        var serverSaw = new TaskCompletionSource<string[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(p => WaitForCloseAsync(p, serverSaw)));
        SshClientProcess process = await pair.Client.CreateProcessAsync("wait", new SshProcessOptions { DisposeSignal = "HUP" }).WithTimeout();
        Assert.Equal("started", await process.Stdout.ReadLineAsync().WithTimeout());

        await process.DisposeAsync().WithTimeout();

        Assert.Equal(["HUP"], await serverSaw.Task.WithTimeout());
    }

    [Fact]
    public async Task DisposingAHostsExecMidRunClosesTheChannelAndTheConnection()
    {
        var serverSaw = new TaskCompletionSource<string[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new InMemorySshServer(InMemoryServer.DefaultServerOptions(p => WaitForCloseAsync(p, serverSaw)));
        Task<SshServerConnection> accepted = server.Connections.FirstAsync().ToTask();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        IDisposable subscription = server.GetHost(InMemoryServer.DefaultClientOptions()).Exec("wait", new SshProcessOptions { DisposeSignal = "INT" })
            .Subscribe(_ => started.TrySetResult(), _ => { });
        await started.Task.WithTimeout();
        subscription.Dispose();

        Assert.Equal(["INT"], await serverSaw.Task.WithTimeout());
        await (await accepted.WithTimeout()).Completion.WithTimeout();
    }

    [Fact]
    public async Task AHundredProcessesRunConcurrentlyOnOneConnection()
    {
        const int count = 100;
        int running = 0;
        var allRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        SshServerOptions options = InMemoryServer.DefaultServerOptions(async p =>
        {
            if (Interlocked.Increment(ref running) == count)
            {
                allRunning.TrySetResult();
            }

            await allRunning.Task.WaitAsync(p.Closed);
            await p.Stdout.WriteAsync(p.Command + "\n");
        }) with { MaxSessions = count };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(options);

        IList<SshCompletedProcess> results = await Enumerable.Range(0, count).ToObservable()
            .SelectMany(i => pair.Client.Run($"job {i}"))
            .ToList()
            .WithTimeout(TestTimeout.Long);

        Assert.Equal(Enumerable.Range(0, count).Select(i => $"job {i}\n").Order(), results.Select(r => r.Stdout).Order());
        Assert.All(results, r => Assert.Equal(0, r.ExitStatus));
    }

    [Fact]
    public async Task DisconnectingSendsWhatWasAlreadyQueuedFirst()
    {
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            var text = new System.Text.StringBuilder();
            try
            {
                while (await p.Stdin.ReadAsync(1024) is { Length: > 0 } chunk)
                {
                    text.Append(chunk);
                }
            }
            catch (SshException)
            {
                // The connection went away after the data: what arrived is what counts.
            }

            received.TrySetResult(text.ToString());
        }));
        try
        {
            SshClientProcess process = await pair.Client.CreateProcessAsync("cat").WithTimeout();
            await process.Stdin.WriteAsync("last words").WithTimeout();

            await pair.Client.DisposeAsync().WithTimeout();

            Assert.Equal("last words", await received.Task.WithTimeout());
        }
        finally
        {
            await pair.DisposeAsync();
        }
    }

    private static async Task WaitForCloseAsync(SshServerProcess p, TaskCompletionSource<string[]> saw)
    {
        if (p.Command == "next")
        {
            await p.Stdout.WriteAsync("still fine\n");
            return;
        }

        var signals = new List<string>();
        using IDisposable subscription = p.Signals.Subscribe(s =>
        {
            lock (signals)
            {
                signals.Add(s);
            }
        });
        await p.Stdout.WriteAsync("started\n");
        await Task.Delay(Timeout.Infinite, p.Closed).ContinueWith(_ => { }, TaskScheduler.Default);
        lock (signals)
        {
            saw.TrySetResult([.. signals]);
        }
    }

    private static async Task ReadToEndAsync(Socket socket)
    {
        var buffer = new byte[4096];
        while (await socket.ReceiveAsync(buffer) > 0)
        {
        }
    }

    private static async Task ReadToEndAsync(Stream stream)
    {
        var buffer = new byte[4096];
        while (await stream.ReadAsync(buffer) > 0)
        {
        }
    }
}
