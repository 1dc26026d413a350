using System.Diagnostics;
using System.Globalization;

/// <summary>
/// OpenSSH's <c>ssh</c> against two servers under test in the same run, OpenSSH's sshd (the
/// baseline) and the Rx.Ssh serve sample: bulk upload and download per cipher, then connections per
/// second (connect + key auth + <c>true</c>, several at once). Each figure is the median of the
/// iterations, taken alternately from the two servers; prints progress and a markdown table with
/// the serve/sshd ratios. A serve sample that cannot start or fails is reported and left out.
/// </summary>
internal sealed class ServerComparison(BenchKeys keys, BenchmarkOptions options, TextWriter output)
{
    private const long VerifyBytes = 16L << 20;
    private readonly List<Row> _rows = [];
    private readonly Dictionary<IServerUnderTest, string> _failed = [];
    private IServerUnderTest? _baseline;

    public async Task<int> RunAsync()
    {
        int iterations = options.Iterations ?? 3;
        long bytes = options.SizeMb * 1024L * 1024L;
        await using SshdServer sshd = await SshdServer.StartAsync(keys);
        _baseline = sshd;
        (IServerUnderTest? serve, string? unavailable) = await StartSecondAsync();
        try
        {
            IServerUnderTest[] servers = serve is null ? [sshd] : [sshd, serve];
            output.WriteLine($"{string.Join(", ", servers.Select(s => $"{s.Name} on 127.0.0.1:{s.Port} (pid {s.ProcessId})"))}; {Environment.ProcessorCount} cores");
            output.WriteLine($"transfers of {options.SizeMb} MiB and {options.Connections} connections ({options.Concurrency} at once), median of {iterations}; MB = 10^6 bytes");
            if (unavailable is not null)
            {
                output.WriteLine($"serve: not available ({unavailable})");
            }

            // Check each server moves the exact byte counts (and warm up ssh, the page cache and the JIT of serve).
            foreach (IServerUnderTest server in servers)
            {
                await TryAsync(server, () => new OpenSshRunner(server).VerifyTransfersAsync(options.Ciphers[0], VerifyBytes));
            }

            foreach (string cipher in options.Ciphers)
            {
                await CompareAsync($"Upload {options.SizeMb} MiB, {cipher}", "MB/s", bytes / 1e6, servers, iterations, r => r.UploadAsync(cipher, bytes));
                await CompareAsync($"Download {options.SizeMb} MiB, {cipher}", "MB/s", bytes / 1e6, servers, iterations, r => r.DownloadAsync(cipher, bytes));
            }

            await CompareAsync(
                $"Connect + key auth + `true`, {options.Connections} × {options.Concurrency} at once, {options.Ciphers[0]}",
                "conn/s",
                options.Connections,
                servers,
                iterations,
                r => ConnectionsAsync(r, options.Ciphers[0]));

            PrintTable(servers, unavailable);
            return 0;
        }
        finally
        {
            if (serve is not null)
            {
                await serve.DisposeAsync();
            }
        }
    }

    private async Task<(IServerUnderTest? Server, string? Unavailable)> StartSecondAsync()
    {
        if (options.SshdAsServe)
        {
            return (await SshdServer.StartAsync(keys, "sshd-as-serve"), null);
        }

        try
        {
            return (await ServeSampleUnderTest.StartAsync(keys, options.ServeDll ?? ServeSampleUnderTest.DefaultSampleDll()), null);
        }
        catch (ServerUnavailableException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary><see cref="BenchmarkOptions.Connections"/> runs of <c>ssh … true</c>, <see cref="BenchmarkOptions.Concurrency"/> at a time.</summary>
    private Task ConnectionsAsync(OpenSshRunner runner, string cipher) =>
        Parallel.ForEachAsync(
            Enumerable.Range(0, options.Connections),
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency },
            async (_, _) => await runner.ConnectRunCloseAsync(cipher));

    /// <summary>Times <paramref name="run"/> on each live server in turn, <paramref name="iterations"/> rounds; records the medians of units/s.</summary>
    private async Task CompareAsync(string name, string unit, double units, IServerUnderTest[] servers, int iterations, Func<OpenSshRunner, Task> run)
    {
        var samples = servers.ToDictionary(s => s, _ => new List<double>());
        for (int i = 0; i < iterations; i++)
        {
            foreach (IServerUnderTest server in servers.Where(s => !_failed.ContainsKey(s)))
            {
                var clock = Stopwatch.StartNew();
                if (await TryAsync(server, () => run(new OpenSshRunner(server))))
                {
                    double rate = units / clock.Elapsed.TotalSeconds;
                    samples[server].Add(rate);
                    output.WriteLine($"  {server.Name,-14} {name,-70} {clock.Elapsed.TotalSeconds,7:F2} s  {Format(rate)} {unit}");
                }
            }
        }

        _rows.Add(new Row(name, unit, servers.Select(s => samples[s].Count == iterations ? Median(samples[s]) : (double?)null).ToArray()));
    }

    /// <summary>Runs one measurement; a failing baseline ends the run, a failing server under test is reported and dropped.</summary>
    private async Task<bool> TryAsync(IServerUnderTest server, Func<Task> run)
    {
        try
        {
            await run();
            return true;
        }
        catch (InvalidOperationException e) when (server != _baseline)
        {
            _failed[server] = e.Message.Split('\n')[0];
            output.WriteLine($"  {server.Name}: failed, left out from here on: {_failed[server]}");
            return false;
        }
    }

    private void PrintTable(IServerUnderTest[] servers, string? unavailable)
    {
        string second = servers.Length > 1 ? servers[1].Name : "serve";
        output.WriteLine();
        output.WriteLine($"| OpenSSH `ssh` to … | sshd | {second} | {second} / sshd |");
        output.WriteLine("|---|---:|---:|---:|");
        foreach (Row row in _rows)
        {
            double baseline = row.Medians[0] ?? double.NaN;
            double? other = row.Medians.Length > 1 ? row.Medians[1] : null;
            string otherText = other is double o ? $"{Format(o)} {row.Unit}" : "n/a";
            string ratio = other is double r ? (r / baseline).ToString("F2", CultureInfo.InvariantCulture) : "n/a";
            output.WriteLine($"| {row.Name} | {Format(baseline)} {row.Unit} | {otherText} | {ratio} |");
        }

        output.WriteLine();
        output.WriteLine("Medians; higher is better for every row (ratio > 1: serve is faster). Upload: `head -c N /dev/zero | ssh host 'cat > /dev/null'`;");
        output.WriteLine("download: `ssh host 'head -c N /dev/zero' > /dev/null`; both end to end including ssh's start and connection setup.");
        if (unavailable is not null)
        {
            output.WriteLine($"serve: not available ({unavailable})");
        }

        foreach ((IServerUnderTest server, string reason) in _failed)
        {
            output.WriteLine($"{server.Name}: failed ({reason})");
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
    }

    private static string Format(double value) => value.ToString(value >= 100 ? "F0" : "F1", CultureInfo.InvariantCulture);

    private sealed record Row(string Name, string Unit, double?[] Medians);
}
