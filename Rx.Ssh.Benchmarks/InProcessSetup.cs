using System.Diagnostics;
using System.Globalization;
using System.Net;
using Rx.Ssh;

/// <summary>
/// Rx.Ssh client to Rx.Ssh server in one process over loopback: how many connection setups per
/// second (TCP connect, key exchange, public-key authentication, close), and the same with one
/// exec of <c>true</c> (the server's process handler returns at once), <see cref="BenchmarkOptions.Connections"/>
/// per round with <see cref="BenchmarkOptions.Concurrency"/> at once, median of the rounds.
/// Fresh in-memory ed25519 keys; no files, no child processes.
/// </summary>
internal static class InProcessSetup
{
    public static async Task<int> RunAsync(BenchmarkOptions options, TextWriter output)
    {
        int iterations = options.Iterations ?? 3;
        string cipher = options.Ciphers[0];
        SshAlgorithms algorithms = SshAlgorithms.Default with { Ciphers = [cipher] };
        using SshPrivateKey hostKey = SshPrivateKey.Generate("ssh-ed25519");
        using SshPrivateKey userKey = SshPrivateKey.Generate("ssh-ed25519");
        SshPublicKey hostPublic = hostKey.PublicKey;
        SshPublicKey userPublic = userKey.PublicKey;
        await using SshListener listener = await SshServer.StartAsync(new SshServerOptions
        {
            Address = IPAddress.Loopback,
            Port = 0,
            HostKeys = [hostKey],
            Algorithms = algorithms,
            PublicKeyValidator = (_, key) => ValueTask.FromResult(key.Equals(userPublic)),
            ProcessHandler = _ => Task.CompletedTask,
            MaxUnauthenticatedConnections = Math.Max(100, options.Concurrency * 2),
            // Every benchmark client comes from 127.0.0.1 at once: no per-source caps, no random drop.
            MaxUnauthenticatedPerAddress = 0,
            MaxUnauthenticatedPerNetBlock = 0,
            RandomDropStart = int.MaxValue,
        });
        var client = new SshClientOptions
        {
            UserName = "bench",
            Config = SshConfig.Empty, // measured runs must not depend on the machine's ~/.ssh/config
            Keys = [userKey],
            UseDefaultKeys = false,
            HostKeyVerifier = new CallbackHostKeyVerifier(context => hostPublic.Equals(context.Key)),
            Algorithms = algorithms,
        };

        output.WriteLine($"Rx.Ssh server on 127.0.0.1:{listener.Port}, Rx.Ssh client, one process; {Environment.ProcessorCount} cores; {cipher}, curve25519-sha256, ssh-ed25519");
        output.WriteLine($"{options.Connections} connections per round, {options.Concurrency} at once, median of {iterations} rounds");
        var rows = new List<string>();
        await MeasureAsync("Connect + key auth + close", async () =>
        {
            SshClientConnection connection = await SshClient.ConnectAsync("127.0.0.1", listener.Port, client);
            await connection.DisposeAsync();
        });
        await MeasureAsync("Connect + key auth + exec `true` + close", async () =>
        {
            SshClientConnection connection = await SshClient.ConnectAsync("127.0.0.1", listener.Port, client);
            await using (connection)
            {
                SshCompletedProcess result = await connection.RunAsync("true");
                if (result.ExitStatus != 0)
                {
                    throw new InvalidOperationException($"`true` exited with {result.ExitStatus}");
                }
            }
        });

        output.WriteLine();
        output.WriteLine("| Rx.Ssh client → Rx.Ssh server, one process | Connections/s | Latency median | Latency p99 | Peak working set |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        rows.ForEach(output.WriteLine);
        return 0;

        async Task MeasureAsync(string name, Func<Task> once)
        {
            try
            {
                await MeasureRoundsAsync(name, once);
            }
            catch (TimeoutException)
            {
                output.WriteLine($"  {name}: failed: one took over 30 s");
                rows.Add($"| {name} | failed: one took over 30 s | | | |");
            }
        }

        async Task MeasureRoundsAsync(string name, Func<Task> once)
        {
            await RoundAsync(options.Concurrency * 2, options.Concurrency, once); // warm-up: JIT, pools
            GC.Collect();
            var rates = new List<double>();
            var latencies = new List<double>();
            using var memory = new MemorySampler();
            for (int i = 0; i < iterations; i++)
            {
                var clock = Stopwatch.StartNew();
                double[] round = await RoundAsync(options.Connections, options.Concurrency, once);
                double rate = options.Connections / clock.Elapsed.TotalSeconds;
                rates.Add(rate);
                latencies.AddRange(round);
                output.WriteLine($"  {name,-44} {clock.Elapsed.TotalSeconds,7:F2} s  {rate,8:F1} conn/s");
            }

            memory.Dispose();
            output.WriteLine($"  server connections still open after the rounds: {listener.ActiveConnections}");
            rates.Sort();
            latencies.Sort();
            rows.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"| {name} | {Percentile(rates, 0.5):F0} | {Percentile(latencies, 0.5):F1} ms | {Percentile(latencies, 0.99):F1} ms | {memory.PeakSampledWorkingSet / 1048576.0:F0} MiB |"));
        }
    }

    /// <summary>
    /// Runs <paramref name="once"/> <paramref name="count"/> times, <paramref name="concurrency"/> at once; returns each run's
    /// milliseconds. A run that takes over 30 s ends the round with a <see cref="TimeoutException"/> (a stuck server).
    /// </summary>
    private static async Task<double[]> RoundAsync(int count, int concurrency, Func<Task> once)
    {
        var latencies = new double[count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (i, _) =>
            {
                long start = Stopwatch.GetTimestamp();
                await once().WaitAsync(TimeSpan.FromSeconds(30));
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            });
        return latencies;
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
