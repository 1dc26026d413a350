using System.Diagnostics;
using System.Globalization;

/// <summary>
/// Forwarded TCP through <c>-L</c> and <c>-R</c>, to an in-process <see cref="SinkSourceService"/>,
/// same run: bulk throughput through a local forward for Rx.Ssh's client and OpenSSH's <c>ssh</c>
/// against sshd, and for <c>ssh</c> against the serve sample; then short connections at a fixed
/// rate (connect, 64-byte request and response, close) through local and remote forwards.
/// Forwards are set up once; only the traffic through them is timed. Prints progress and markdown tables.
/// </summary>
internal sealed class ForwardingBenchmark(BenchKeys keys, BenchmarkOptions options, TextWriter output)
{
    private const int SmallMessage = 64;
    private const int WarmUpConnections = 40;
    private const long WarmUpSmallBytes = 256 * 1024;
    private const long WarmUpBulkBytes = 64L << 20;
    private const int MaxWarmUpRounds = 6;
    private static readonly TimeSpan JitSettled = TimeSpan.FromSeconds(0.02);
    private static readonly TimeSpan JitSettleTime = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan ExchangeTimeout = TimeSpan.FromSeconds(30);
    private readonly List<string> _bulkRows = [];
    private readonly List<string> _shortRows = [];

    public async Task<int> RunAsync()
    {
        string cipher = options.Ciphers[0];
        int iterations = options.Iterations ?? 3;
        long bytes = options.SizeMb * 1024L * 1024L;
        await using SinkSourceService service = SinkSourceService.Start();
        await using SshdServer sshd = await SshdServer.StartAsync(keys);
        IServerUnderTest? serve = null;
        try
        {
            serve = await ServeSampleUnderTest.StartAsync(keys, options.ServeDll ?? ServeSampleUnderTest.DefaultSampleDll());
        }
        catch (ServerUnavailableException e)
        {
            output.WriteLine($"serve: not available ({e.Message})");
        }

        try
        {
            output.WriteLine($"sshd on 127.0.0.1:{sshd.Port}{(serve is null ? "" : $", serve on 127.0.0.1:{serve.Port}")}, destination service on 127.0.0.1:{service.Port}; {Environment.ProcessorCount} cores; {cipher}");
            output.WriteLine($"bulk: {options.SizeMb} MiB, median of {iterations}; short connections: {options.Rate}/s for {options.Seconds} s; MB = 10^6 bytes");
            await BulkAsync(sshd, serve, cipher, service.Port, bytes, iterations);
            if (!options.BulkOnly)
            {
                await ShortAsync(sshd, serve, cipher, service.Port);
            }
        }
        finally
        {
            if (serve is not null)
            {
                await serve.DisposeAsync();
            }
        }

        output.WriteLine();
        output.WriteLine($"| Through `-L`, {options.SizeMb} MiB, {cipher} | Rx.Ssh → sshd | ssh → sshd | Rx.Ssh / ssh | ssh → serve | serve / sshd |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        _bulkRows.ForEach(output.WriteLine);
        output.WriteLine();
        output.WriteLine($"| Short connections, {options.Rate}/s offered for {options.Seconds} s | achieved conn/s | median ms | p99 ms | failed | median / ssh → sshd's |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        _shortRows.ForEach(output.WriteLine);
        output.WriteLine();
        output.WriteLine("Bulk: MB/s of the TCP exchange only (forward already up), medians, higher is better. Short: latency from connect to the response's EOF; ratio < 1: faster than ssh → sshd.");
        return 0;
    }

    private async Task BulkAsync(SshdServer sshd, IServerUnderTest? serve, string cipher, int destinationPort, long bytes, int iterations)
    {
        var forwards = new List<ActiveForward>
        {
            await ActiveForward.RxLocalAsync(sshd, cipher, destinationPort),
            await ActiveForward.SshLocalAsync(sshd, cipher, destinationPort),
        };
        if (serve is not null)
        {
            forwards.Add(await ActiveForward.SshLocalAsync(serve, cipher, destinationPort));
        }

        try
        {
            await WarmUpAsync(forwards, serve);

            (string Option, string Name, long Up, long Down)[] kinds = [("upload", "upload", bytes, 0), ("download", "download", 0, bytes), ("both", "both ways at once", bytes, bytes)];
            foreach ((string option, string kind, long up, long down) in kinds)
            {
                if (options.Kinds.Count > 0 && !options.Kinds.Contains(option))
                {
                    continue;
                }

                var samples = forwards.Select(_ => new List<double>()).ToArray();
                for (int i = 0; i < iterations; i++)
                {
                    for (int f = 0; f < forwards.Count; f++)
                    {
                        int serverPid = forwards[f].Name.EndsWith(serve?.Name ?? "\0", StringComparison.Ordinal) ? serve!.ProcessId : sshd.ProcessId;
                        var cpu = CpuUse.Start(forwards[f].ProcessId, serverPid);
                        long start = Stopwatch.GetTimestamp();
                        await SinkSourceClient.ExchangeBlockingAsync(forwards[f].Port, up, down);
                        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
                        string cpuUsed = cpu.Stop();
                        double rate = (up + down) / elapsed.TotalSeconds;
                        samples[f].Add(rate);
                        output.WriteLine($"  {forwards[f].Name,-20} {kind,-18} {elapsed.TotalSeconds,7:F2} s  {Mbps(rate),9}  {cpuUsed}");
                    }
                }

                double[] medians = samples.Select(Median).ToArray();
                string serveCells = medians.Length > 2 ? $"{Mbps(medians[2])} | {Ratio(medians[2] / medians[1])}" : "n/a | n/a";
                _bulkRows.Add($"| {kind} | {Mbps(medians[0])} | {Mbps(medians[1])} | {Ratio(medians[0] / medians[1])} | {serveCells} |");
            }
        }
        finally
        {
            foreach (ActiveForward forward in forwards)
            {
                await forward.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Warm-up, and a check the bytes arrive: rounds of many short and one bulk exchange through
    /// each forward, until the JIT of the .NET sides (this process, serve) has settled, i.e. a round
    /// costs its tiered-compilation threads less than <see cref="JitSettled"/> (at most
    /// <see cref="MaxWarmUpRounds"/> rounds). One 16 MiB exchange each way was not enough: the first
    /// timed transfers then shared the cores with up to a third of a second of compiling.
    /// </summary>
    private async Task WarmUpAsync(List<ActiveForward> forwards, IServerUnderTest? serve)
    {
        for (int round = 1; round <= MaxWarmUpRounds; round++)
        {
            TimeSpan jit = JitCpu(serve);
            foreach (ActiveForward forward in forwards)
            {
                for (int i = 0; i < WarmUpConnections; i++)
                {
                    await SinkSourceClient.ExchangeAsync(forward.Port, WarmUpSmallBytes, WarmUpSmallBytes);
                }

                await SinkSourceClient.ExchangeBlockingAsync(forward.Port, WarmUpBulkBytes, WarmUpBulkBytes);
            }

            await Task.Delay(JitSettleTime); // background compilation starts after a quiet spell
            jit = JitCpu(serve) - jit;
            output.WriteLine($"  warm-up round {round}: {jit.TotalSeconds:F2} s of tiered JIT CPU");
            if (jit < JitSettled)
            {
                return;
            }
        }
    }

    /// <summary>CPU time so far of the tiered-compilation threads of this process and serve (zero where /proc is not there).</summary>
    private static TimeSpan JitCpu(IServerUnderTest? serve) =>
        ProcessCpu.OfThreads(Environment.ProcessId, ProcessCpu.TieredCompilationThread) +
        (serve is null ? TimeSpan.Zero : ProcessCpu.OfThreads(serve.ProcessId, ProcessCpu.TieredCompilationThread));

    private async Task ShortAsync(SshdServer sshd, IServerUnderTest? serve, string cipher, int destinationPort)
    {
        // Each ssh → sshd baseline first, so that the rows after it have their ratio.
        var setups = new List<Func<Task<ActiveForward>>>
        {
            () => ActiveForward.SshLocalAsync(sshd, cipher, destinationPort),
            () => ActiveForward.RxLocalAsync(sshd, cipher, destinationPort),
            () => ActiveForward.SshRemoteAsync(sshd, cipher, destinationPort),
            () => ActiveForward.RxRemoteAsync(sshd, cipher, destinationPort),
        };
        if (serve is not null)
        {
            setups.Add(() => ActiveForward.SshLocalAsync(serve, cipher, destinationPort));
            setups.Add(() => ActiveForward.SshRemoteAsync(serve, cipher, destinationPort));
        }

        var baselines = new Dictionary<string, double>();
        foreach (Func<Task<ActiveForward>> setup in setups)
        {
            await using ActiveForward forward = await setup();
            await PacedAsync(forward.Port, Math.Min(options.Rate, 50)); // warm-up, a quarter of a second at the default rate
            (double achieved, double median, double p99, int failed) = await PacedAsync(forward.Port, options.Rate * options.Seconds);
            string direction = forward.Name.Contains("-L", StringComparison.Ordinal) ? "-L" : "-R";
            baselines.TryAdd(direction, median);
            output.WriteLine($"  {forward.Name,-20} {achieved,7:F1} conn/s  median {median:F2} ms  p99 {p99:F2} ms  failed {failed}");
            _shortRows.Add($"| {forward.Name} | {achieved:F1} | {median:F2} | {p99:F2} | {failed} | {Ratio(median / baselines[direction])} |");
        }
    }

    /// <summary>
    /// Starts <paramref name="count"/> short exchanges at <see cref="BenchmarkOptions.Rate"/> per second
    /// (each on schedule, however long the others take); returns the achieved rate and latencies in ms.
    /// </summary>
    private async Task<(double Achieved, double Median, double P99, int Failed)> PacedAsync(int port, int count)
    {
        var latencies = new double[count];
        int failed = 0;
        var tasks = new Task[count];
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < count; i++)
        {
            TimeSpan due = TimeSpan.FromSeconds((double)i / options.Rate) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            int index = i;
            tasks[i] = Task.Run(async () =>
            {
                long t0 = Stopwatch.GetTimestamp();
                try
                {
                    using var timeout = new CancellationTokenSource(ExchangeTimeout);
                    await SinkSourceClient.ExchangeAsync(port, SmallMessage, SmallMessage, timeout.Token);
                    latencies[index] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                }
                catch (Exception e) when (e is InvalidOperationException or System.Net.Sockets.SocketException or OperationCanceledException)
                {
                    Interlocked.Increment(ref failed);
                    latencies[index] = double.NaN;
                }
            });
        }

        await Task.WhenAll(tasks);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        double[] ok = latencies.Where(l => !double.IsNaN(l)).Order().ToArray();
        if (ok.Length == 0)
        {
            return (0, double.NaN, double.NaN, failed);
        }

        return (ok.Length / seconds, ok[ok.Length / 2], ok[Math.Min(ok.Length - 1, (int)(ok.Length * 0.99))], failed);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
    }

    private static string Mbps(double bytesPerSecond) => (bytesPerSecond / 1e6).ToString("F0", CultureInfo.InvariantCulture) + " MB/s";

    private static string Ratio(double ratio) => ratio.ToString("F2", CultureInfo.InvariantCulture);
}
