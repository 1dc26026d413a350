using System.Diagnostics;
using System.Globalization;
using Rx.Ssh;

/// <summary>
/// Runs the comparison against a private sshd: bulk upload and download per cipher, then
/// connection setup latency, for Rx.Ssh and OpenSSH's <c>ssh</c>; prints progress and a markdown table.
/// </summary>
internal sealed class BenchmarkSuite(IServerUnderTest server, TextWriter output)
{
    private static readonly string[] Ciphers = ["aes128-gcm@openssh.com", "chacha20-poly1305@openssh.com", "aes128-ctr+hmac-sha2-256-etm@openssh.com"];

    /// <summary>Handshakes timed besides the default one (issue 4: within 1.5x of OpenSSH's client).</summary>
    private static readonly string[] KeyExchanges = ["sntrup761x25519-sha512@openssh.com", "diffie-hellman-group-exchange-sha256"];
    private readonly RxSshRunner _rx = new(server);
    private readonly OpenSshRunner _ssh = new(server);
    private readonly List<string> _rows = [];
    private readonly List<string> _memoryRows = [];
    private long _lifetimePeak;

    public async Task RunAsync(int sizeMb, int iterations)
    {
        long bytes = sizeMb * 1024L * 1024L;
        output.WriteLine($"sshd on 127.0.0.1:{server.Port}; {Environment.ProcessorCount} cores; transfers of {sizeMb} MiB; MB = 10^6 bytes");

        // Warm-up: JIT the Rx.Ssh paths and the page cache for ssh before anything is timed.
        await RxTransferAsync("warm-up", Ciphers[0], 16L << 20, RxSshRunner.UploadAsync, record: false);
        await RxTransferAsync("warm-up", Ciphers[0], 16L << 20, RxSshRunner.DownloadAsync, record: false);
        await _ssh.DownloadAsync(Ciphers[0], 16L << 20);

        foreach (string cipher in Ciphers)
        {
            double rxUp = await RxTransferAsync("upload", cipher, bytes, RxSshRunner.UploadAsync, record: true);
            double sshUp = await TimeAsync($"OpenSSH upload   {cipher}", bytes, () => _ssh.UploadAsync(cipher, bytes));
            Row($"Upload {sizeMb} MiB, {cipher}", Mbps(rxUp), Mbps(sshUp), rxUp / sshUp);
            double rxDown = await RxTransferAsync("download", cipher, bytes, RxSshRunner.DownloadAsync, record: true);
            double sshDown = await TimeAsync($"OpenSSH download {cipher}", bytes, () => _ssh.DownloadAsync(cipher, bytes));
            Row($"Download {sizeMb} MiB, {cipher}", Mbps(rxDown), Mbps(sshDown), rxDown / sshDown);
        }

        double rxMs = await MedianMsAsync("Rx.Ssh", iterations, () => _rx.ConnectRunCloseAsync(Ciphers[0]));
        double sshMs = await MedianMsAsync("OpenSSH", iterations, () => _ssh.ConnectRunCloseAsync(Ciphers[0]));
        Row($"Connect + auth + `true` + close, median of {iterations}", Ms(rxMs), Ms(sshMs), rxMs / sshMs);
        foreach (string kex in KeyExchanges)
        {
            double rxKex = await MedianMsAsync($"Rx.Ssh {kex}", iterations, () => _rx.ConnectRunCloseAsync(Ciphers[0], kex));
            double sshKex = await MedianMsAsync($"OpenSSH {kex}", iterations, () => _ssh.ConnectRunCloseAsync(Ciphers[0], kex));
            Row($"Connect + auth + `true` + close with {kex}, median of {iterations}", Ms(rxKex), Ms(sshKex), rxKex / sshKex);
        }

        output.WriteLine();
        output.WriteLine("| Benchmark | Rx.Ssh | OpenSSH `ssh` | Rx.Ssh / OpenSSH |");
        output.WriteLine("|---|---:|---:|---:|");
        _rows.ForEach(output.WriteLine);
        output.WriteLine();
        output.WriteLine("| Rx.Ssh client memory during transfer | Peak working set (sampled) | Peak GC heap (sampled) |");
        output.WriteLine("|---|---:|---:|");
        _memoryRows.ForEach(output.WriteLine);
        output.WriteLine($"| Process lifetime peak working set (OS) | {MiB(_lifetimePeak)} | |");
        output.WriteLine();
        output.WriteLine("Throughput in MB/s (10^6 bytes/s), end to end including connection setup; latency ratio: lower is better for Rx.Ssh.");
    }

    /// <summary>Connect, transfer, disconnect through Rx.Ssh while sampling memory; returns bytes per second.</summary>
    private async Task<double> RxTransferAsync(string what, string cipher, long bytes, Func<SshClientConnection, long, Task> transfer, bool record)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var memory = new MemorySampler();
        double rate = await TimeAsync($"Rx.Ssh  {what,-8} {cipher}", bytes, async () =>
        {
            SshClientConnection connection = await _rx.ConnectAsync(cipher);
            await using (connection)
            {
                await transfer(connection, bytes);
            }
        });
        memory.Dispose();
        _lifetimePeak = Math.Max(_lifetimePeak, memory.PeakWorkingSet);
        if (record)
        {
            _memoryRows.Add($"| {char.ToUpperInvariant(what[0])}{what[1..]}, {cipher} | {MiB(memory.PeakSampledWorkingSet)} | {MiB(memory.PeakGcHeap)} |");
        }

        return rate;
    }

    private async Task<double> TimeAsync(string label, long bytes, Func<Task> run)
    {
        var clock = Stopwatch.StartNew();
        await run();
        clock.Stop();
        double rate = bytes / clock.Elapsed.TotalSeconds;
        output.WriteLine($"  {label,-48} {clock.Elapsed.TotalSeconds,7:F2} s  {Mbps(rate),12}");
        return rate;
    }

    private async Task<double> MedianMsAsync(string label, int iterations, Func<Task> run)
    {
        for (int i = 0; i < 3; i++)
        {
            await run();
        }

        var samples = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            long start = Stopwatch.GetTimestamp();
            await run();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(samples);
        double median = iterations % 2 == 1 ? samples[iterations / 2] : (samples[(iterations / 2) - 1] + samples[iterations / 2]) / 2;
        output.WriteLine($"  {label,-8} connect+auth+true+close: median {Ms(median)}, min {Ms(samples[0])}, max {Ms(samples[^1])}");
        return median;
    }

    private void Row(string name, string rx, string ssh, double ratio) =>
        _rows.Add($"| {name} | {rx} | {ssh} | {ratio.ToString("F2", CultureInfo.InvariantCulture)} |");

    private static string Mbps(double bytesPerSecond) => (bytesPerSecond / 1e6).ToString("F0", CultureInfo.InvariantCulture) + " MB/s";

    private static string Ms(double ms) => ms.ToString("F1", CultureInfo.InvariantCulture) + " ms";

    private static string MiB(long bytes) => (bytes / 1048576.0).ToString("F0", CultureInfo.InvariantCulture) + " MiB";
}
