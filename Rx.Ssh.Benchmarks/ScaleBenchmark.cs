using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Rx.Ssh;

/// <summary>
/// <c>--scale</c>: what one Rx.Ssh server process holds and survives (issue 16, item 6), against
/// <see cref="ScaleServer"/> in a child process so its figures are its own. Three parts:
/// <list type="number">
/// <item><see cref="BenchmarkOptions.Connections"/> concurrent authenticated connections, each with
/// an idle session open: the server's resident set and managed heap per connection beyond its
/// baseline (after a full compacting collection on both measurements).</item>
/// <item><see cref="BenchmarkOptions.Cycles"/> connect / run <c>true</c> / close cycles, the
/// server's memory measured after every tenth: flat or not.</item>
/// <item><see cref="BenchmarkOptions.TransferGiB"/> GiB up and down through re-keys every 64 MiB
/// (both ends' <c>RekeyBytes</c>), SHA-256 equal on both sides.</item>
/// </list>
/// </summary>
internal sealed class ScaleBenchmark(BenchKeys keys, BenchmarkOptions options, TextWriter output)
{
    private const long RekeyBytes = 64L * 1024 * 1024;

    public async Task<int> RunAsync()
    {
        using var server = ScaleServerProcess.Start(keys.Directory, RekeyBytes);
        int port = await server.ReadPortAsync();
        keys.Trust(port);
        SshClientOptions client = new()
        {
            UserName = keys.UserName,
            KeyFiles = [keys.UserKey],
            UseDefaultKeys = false,
            HostKeyVerifier = new KnownHostsVerifier(keys.KnownHosts),
            RekeyBytes = RekeyBytes,
        };
        output.WriteLine($"Rx.Ssh server in its own process on 127.0.0.1:{port}; Rx.Ssh clients in this one; {Environment.ProcessorCount} cores; default algorithms");
        int failures = 0;
        failures += await IdleConnectionsAsync(server, port, client);
        failures += await CyclesAsync(server, port, client);
        failures += await TransfersAsync(port, client);
        return failures == 0 ? 0 : 1;
    }

    private async Task<int> IdleConnectionsAsync(ScaleServerProcess server, int port, SshClientOptions client)
    {
        int count = options.Connections;
        ScaleMeasure baseline = await server.MeasureAsync();
        var connections = new SshClientConnection[count];
        var processes = new SshClientProcess[count];
        var watch = Stopwatch.StartNew();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (i, ct) =>
        {
            connections[i] = await SshClient.ConnectAsync("127.0.0.1", port, client, ct);
            processes[i] = await connections[i].CreateProcessAsync("idle", cancellationToken: ct);
            _ = await processes[i].Stdout.ReadLineAsync(ct); // "ready": the server holds the session
        });
        TimeSpan opening = watch.Elapsed;
        ScaleMeasure held = await server.MeasureAsync();
        output.WriteLine();
        output.WriteLine($"| {count:N0} idle authenticated connections (one session each) | value |");
        output.WriteLine("|---|---:|");
        output.WriteLine($"| opened in | {opening.TotalSeconds:F1} s ({count / opening.TotalSeconds:F0}/s, {options.Concurrency} at once) |");
        output.WriteLine($"| server sessions held | {held.Sessions:N0} |");
        output.WriteLine($"| server resident set: baseline → held | {Mib(baseline.Rss)} → {Mib(held.Rss)} |");
        output.WriteLine($"| **server resident set per connection** | **{Kib((held.Rss - baseline.Rss) / count)}** |");
        output.WriteLine($"| server managed heap per connection | {Kib((held.Heap - baseline.Heap) / count)} |");
        output.WriteLine($"| client process working set per connection | {Kib(Environment.WorkingSet / count)} |");

        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (i, ct) =>
        {
            await processes[i].Stdin.CloseAsync(ct);
            await processes[i].WaitForExitAsync(ct);
            await processes[i].DisposeAsync();
            await connections[i].DisposeAsync();
        });
        ScaleMeasure after = await WaitForSessionsAsync(server, 0);
        output.WriteLine($"| server resident set after all closed | {Mib(after.Rss)} (heap {Mib(after.Heap)}) |");
        return held.Sessions == count ? 0 : 1;
    }

    private async Task<int> CyclesAsync(ScaleServerProcess server, int port, SshClientOptions client)
    {
        int cycles = options.Cycles;
        int step = Math.Max(1, cycles / 10);
        output.WriteLine();
        output.WriteLine($"| {cycles:N0} connect / run `true` / close cycles, {options.Concurrency} at once | server resident set | server managed heap | cycles/s |");
        output.WriteLine("|---|---:|---:|---:|");
        ScaleMeasure first = await server.MeasureAsync();
        output.WriteLine($"| before | {Mib(first.Rss)} | {Mib(first.Heap)} | |");
        ScaleMeasure last = first;
        int failed = 0;
        for (int done = 0; done < cycles; done += step)
        {
            int n = Math.Min(step, cycles - done);
            var watch = Stopwatch.StartNew();
            await Parallel.ForAsync(0, n, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (_, ct) =>
            {
                await using SshClientConnection connection = await SshClient.ConnectAsync("127.0.0.1", port, client, ct);
                SshCompletedProcess result = await connection.RunAsync("true", cancellationToken: ct);
                if (result.ExitStatus != 0)
                {
                    Interlocked.Increment(ref failed);
                }
            });
            double rate = n / watch.Elapsed.TotalSeconds;
            last = await server.MeasureAsync();
            output.WriteLine($"| after {done + n:N0} | {Mib(last.Rss)} | {Mib(last.Heap)} | {rate:F0} |");
        }

        output.WriteLine($"| growth, before → end | {Mib(last.Rss - first.Rss)} | {Mib(last.Heap - first.Heap)} | {failed} failed |");
        return failed == 0 ? 0 : 1;
    }

    private async Task<int> TransfersAsync(int port, SshClientOptions client)
    {
        long bytes = options.TransferGiB * 1024L * 1024 * 1024;
        string expected = ScaleData.Sha256(bytes);
        await using SshClientConnection connection = await SshClient.ConnectAsync("127.0.0.1", port, client);
        output.WriteLine();
        output.WriteLine($"| {options.TransferGiB} GiB through re-keys every 64 MiB | MB/s | SHA-256 |");
        output.WriteLine("|---|---:|---|");

        var watch = Stopwatch.StartNew();
        await using (SshClientProcess sink = await connection.CreateProcessAsync("sink"))
        {
            Task<string> reply = sink.Stdout.ReadToEndAsync();
            await sink.Stdin.CopyFromAsync(new ScaleData(bytes), sendEof: true);
            string got = (await reply).Trim();
            output.WriteLine($"| upload (client → server) | {bytes / watch.Elapsed.TotalSeconds / 1e6:F0} | {(got == expected ? "equal" : "DIFFERENT")} |");
            if (got != expected)
            {
                return 1;
            }
        }

        watch.Restart();
        await using SshClientProcess source = await connection.CreateProcessAsync(string.Create(CultureInfo.InvariantCulture, $"source {bytes}"));
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var received = new HashingStream(hash);
        await source.Stdout.CopyToAsync(received);
        string down = Convert.ToHexStringLower(hash.GetHashAndReset());
        bool ok = down == expected && received.Written == bytes;
        output.WriteLine($"| download (server → client) | {bytes / watch.Elapsed.TotalSeconds / 1e6:F0} | {(ok ? "equal" : "DIFFERENT")} |");
        return ok ? 0 : 1;
    }

    private static async Task<ScaleMeasure> WaitForSessionsAsync(ScaleServerProcess server, int sessions)
    {
        // The server ends its side of each close a moment after the client's: poll its count (not a sleep as synchronisation: a bounded poll of a figure).
        for (int i = 0; ; i++)
        {
            ScaleMeasure m = await server.MeasureAsync();
            if (m.Sessions == sessions || i == 100)
            {
                return m;
            }

            await Task.Delay(100);
        }
    }

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):F1} MiB");

    private static string Kib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB");
}

/// <summary>One <c>measure</c> answer of <see cref="ScaleServer"/>.</summary>
internal readonly record struct ScaleMeasure(long Rss, long Heap, int Sessions);

/// <summary><see cref="ScaleServer"/> as a child process: its port, its measurements, stopped by its PID on dispose.</summary>
internal sealed class ScaleServerProcess : IDisposable
{
    private readonly Process _process;

    private ScaleServerProcess(Process process) => _process = process;

    /// <summary>The child's process id.</summary>
    public int ProcessId => _process.Id;

    public static ScaleServerProcess Start(string keysDirectory, long rekeyBytes) =>
        new(BenchmarkChild.Start("--scale-server", keysDirectory, rekeyBytes.ToString(CultureInfo.InvariantCulture)));

    public Task<int> ReadPortAsync() => BenchmarkChild.ReadPortAsync(_process, "the scale server");

    public async Task<ScaleMeasure> MeasureAsync()
    {
        await _process.StandardInput.WriteLineAsync("measure");
        await _process.StandardInput.FlushAsync();
        string line = await _process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("the scale server exited");
        Dictionary<string, long> values = line["measure ".Length..].Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
        return new ScaleMeasure(values["rss"], values["heap"], (int)values["sessions"]);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(); // this PID only
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
