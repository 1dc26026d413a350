using System.Globalization;

/// <summary>
/// SFTP, same run: one large file and a tree of small files, get and put, per cipher, with
/// Rx.Ssh's client and OpenSSH's <c>sftp</c> against sshd (its <c>sftp-server</c>), and <c>sftp</c>
/// against the serve sample. Transfers are interleaved (each iteration runs every client once),
/// medians are compared; the client's peak memory is kept for the large file. Prints progress and
/// markdown tables.
/// </summary>
internal sealed class SftpBenchmark(BenchKeys keys, BenchmarkOptions options, TextWriter output)
{
    private const string RxClient = "Rx.Ssh → sshd";
    private const string SftpSshd = "sftp → sshd";
    private const string SftpServe = "sftp → serve";
    private static readonly SftpTransferKind[] AllKinds = [SftpTransferKind.GetBig, SftpTransferKind.PutBig, SftpTransferKind.GetTree, SftpTransferKind.PutTree];
    private static readonly string[] KindOptions = ["get", "put", "get-r", "put-r"];
    private readonly Dictionary<(string Cipher, SftpTransferKind Kind, string Client), List<double>> _rates = [];
    private readonly Dictionary<(string Cipher, SftpTransferKind Kind, string Client), (long Rss, long Gc)> _memory = [];

    /// <summary>The transfers to run: <see cref="BenchmarkOptions.Kinds"/> (get, put, get-r, put-r), all by default.</summary>
    private SftpTransferKind[] Kinds => options.Kinds.Count == 0 ? AllKinds : AllKinds.Where((_, i) => options.Kinds.Contains(KindOptions[i])).ToArray();

    public async Task<int> RunAsync()
    {
        int iterations = options.Iterations ?? 3;
        output.WriteLine($"{Environment.ProcessorCount} cores; load average {LoadAverage()}; creating {options.SizeMb} MiB and {options.Files} × 64 KiB in {Path.GetTempPath()}");
        using SftpWorkload workload = await SftpWorkload.CreateAsync(options.SizeMb * 1024L * 1024L, options.Files);
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

        IServerUnderTest sshdTarget = await DelayedAsync(sshd);
        IServerUnderTest? serveTarget = serve is null ? null : await DelayedAsync(serve);
        try
        {
            output.WriteLine($"sshd (sftp-server) on 127.0.0.1:{sshd.Port}{(serve is null ? "" : $", serve on 127.0.0.1:{serve.Port}")}; median of {iterations}; MB = 10^6 bytes");
            if (options.RttMs > 0)
            {
                output.WriteLine($"every client reaches its server through a relay that delays each chunk {options.RttMs / 2.0} ms each way ({options.RttMs} ms round trip): sshd via 127.0.0.1:{sshdTarget.Port}{(serveTarget is null ? "" : $", serve via 127.0.0.1:{serveTarget.Port}")}");
            }

            string batches = keys.CreateSubdirectory("sftp-batch");
            bool warmedUp = false;
            foreach (string cipher in options.Ciphers)
            {
                var runners = new List<SftpTransferRunner>
                {
                    await RxSftpTransferRunner.StartAsync(sshdTarget, cipher, options.ConcurrentFiles, options.RequestsInFlight, options.UploadChannels),
                    new OpenSftpTransferRunner(sshdTarget, cipher, batches),
                };
                if (serveTarget is not null)
                {
                    runners.Add(new OpenSftpTransferRunner(serveTarget, cipher, batches));
                }

                try
                {
                    if (!warmedUp)
                    {
                        await WarmUpAsync(workload, runners, serve);
                        warmedUp = true;
                    }

                    foreach (SftpTransferKind kind in Kinds)
                    {
                        for (int i = 0; i < iterations; i++)
                        {
                            foreach (SftpTransferRunner runner in runners)
                            {
                                await MeasureAsync(workload, runner, cipher, kind, check: false);
                            }
                        }
                    }
                }
                finally
                {
                    foreach (SftpTransferRunner runner in runners)
                    {
                        await runner.DisposeAsync();
                    }
                }
            }
        }
        finally
        {
            if (!ReferenceEquals(sshdTarget, sshd))
            {
                await sshdTarget.DisposeAsync();
            }

            if (serveTarget is not null && !ReferenceEquals(serveTarget, serve))
            {
                await serveTarget.DisposeAsync();
            }

            if (serve is not null)
            {
                await serve.DisposeAsync();
            }
        }

        output.WriteLine($"load average at the end {LoadAverage()}");
        PrintTables(workload);
        return 0;
    }

    /// <summary><paramref name="server"/> itself, or with <c>--rtt-ms</c> the same server behind a <see cref="DelayProxy"/> (a child process) its clients trust.</summary>
    private async Task<IServerUnderTest> DelayedAsync(IServerUnderTest server)
    {
        if (options.RttMs <= 0)
        {
            return server;
        }

        var delayed = new DelayedServer(server, await DelayProxyProcess.StartAsync(server.Port, options.RttMs));
        keys.Trust(delayed.Port);
        return delayed;
    }

    /// <summary>One untimed round of every transfer with every client, content checked; a second while the JIT still worked much in the first.</summary>
    private async Task WarmUpAsync(SftpWorkload workload, List<SftpTransferRunner> runners, IServerUnderTest? serve)
    {
        for (int round = 1; round <= 2; round++)
        {
            TimeSpan jit = JitCpu(serve);
            foreach (SftpTransferKind kind in Kinds)
            {
                foreach (SftpTransferRunner runner in runners)
                {
                    await MeasureAsync(workload, runner, null, kind, check: round == 1);
                }
            }

            // Clamped: a JIT thread that exited took its CPU time out of /proc with it.
            jit = TimeSpan.FromTicks(Math.Max(0, (JitCpu(serve) - jit).Ticks));
            output.WriteLine($"  warm-up round {round}: {jit.TotalSeconds:F2} s of tiered JIT CPU");
            if (jit < TimeSpan.FromSeconds(0.1))
            {
                return;
            }
        }
    }

    private async Task MeasureAsync(SftpWorkload workload, SftpTransferRunner runner, string? cipher, SftpTransferKind kind, bool check)
    {
        workload.ClearDestinations();
        SftpMeasurement m = await runner.RunAsync(workload, kind);
        if (kind is SftpTransferKind.GetBig or SftpTransferKind.PutBig)
        {
            workload.CheckBig(check);
        }
        else
        {
            workload.CheckTree(check);
        }

        workload.ClearDestinations();
        double rate = Bytes(workload, kind) / m.Elapsed.TotalSeconds;
        output.WriteLine($"  {cipher ?? "warm-up",-30} {runner.Name,-14} {Describe(workload, kind),-18} {m.Elapsed.TotalSeconds,7:F2} s  {Mbps(rate),10}  client peak {MiB(m.PeakMemory)}, cpu {m.ClientCpu.TotalSeconds:F2} s{(m.ServerCpu is TimeSpan server ? $", server cpu {server.TotalSeconds:F2} s" : "")}");
        if (cipher is null)
        {
            return;
        }

        var key = (cipher, kind, runner.Name);
        if (!_rates.TryGetValue(key, out List<double>? rates))
        {
            _rates[key] = rates = [];
        }

        rates.Add(rate);
        (long rss, long gc) = _memory.GetValueOrDefault(key);
        _memory[key] = (Math.Max(rss, m.PeakMemory), Math.Max(gc, m.PeakGcHeap));
    }

    private void PrintTables(SftpWorkload workload)
    {
        foreach (string cipher in options.Ciphers)
        {
            output.WriteLine();
            output.WriteLine($"| SFTP, {cipher} | {RxClient} | {SftpSshd} | Rx.Ssh / sftp | {SftpServe} | serve / sshd |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach (SftpTransferKind kind in Kinds)
            {
                double rx = Median(cipher, kind, RxClient);
                double sshd = Median(cipher, kind, SftpSshd);
                double serve = Median(cipher, kind, SftpServe);
                output.WriteLine($"| {Describe(workload, kind)} | {Mbps(rx)} | {Mbps(sshd)} | {Ratio(rx / sshd)} | {Mbps(serve)} | {Ratio(serve / sshd)} |");
            }
        }

        output.WriteLine();
        output.WriteLine($"| Client peak RSS during the {options.SizeMb} MiB transfers | Rx.Ssh (working set; GC heap) | sftp + ssh → sshd | sftp + ssh → serve |");
        output.WriteLine("|---|---:|---:|---:|");
        foreach (string cipher in options.Ciphers)
        {
            foreach (SftpTransferKind kind in Kinds.Where(k => k is SftpTransferKind.GetBig or SftpTransferKind.PutBig))
            {
                (long rss, long gc) = _memory.GetValueOrDefault((cipher, kind, RxClient));
                output.WriteLine($"| {(kind == SftpTransferKind.GetBig ? "get" : "put")}, {cipher} | {MiB(rss)}; {MiB(gc)} | {MiB(_memory.GetValueOrDefault((cipher, kind, SftpSshd)).Rss)} | {MiB(_memory.GetValueOrDefault((cipher, kind, SftpServe)).Rss)} |");
            }
        }

        output.WriteLine();
        output.WriteLine("MB/s of the transfer alone (session already up), medians, higher is better; ratios of medians from this run.");
    }

    private double Median(string cipher, SftpTransferKind kind, string client)
    {
        if (!_rates.TryGetValue((cipher, kind, client), out List<double>? values) || values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
    }

    private static long Bytes(SftpWorkload workload, SftpTransferKind kind) =>
        kind is SftpTransferKind.GetBig or SftpTransferKind.PutBig ? workload.BigBytes : workload.TreeBytes;

    private static string Describe(SftpWorkload workload, SftpTransferKind kind) => kind switch
    {
        SftpTransferKind.GetBig => $"get {workload.BigBytes >> 20} MiB",
        SftpTransferKind.PutBig => $"put {workload.BigBytes >> 20} MiB",
        SftpTransferKind.GetTree => $"get -r {workload.Files} × 64 KiB",
        _ => $"put -r {workload.Files} × 64 KiB",
    };

    private static TimeSpan JitCpu(IServerUnderTest? serve) =>
        ProcessCpu.OfThreads(Environment.ProcessId, ProcessCpu.TieredCompilationThread) +
        (serve is null ? TimeSpan.Zero : ProcessCpu.OfThreads(serve.ProcessId, ProcessCpu.TieredCompilationThread));

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Mbps(double bytesPerSecond) =>
        double.IsNaN(bytesPerSecond) ? "n/a" : (bytesPerSecond / 1e6).ToString("F0", CultureInfo.InvariantCulture) + " MB/s";

    private static string Ratio(double ratio) => double.IsNaN(ratio) ? "n/a" : ratio.ToString("F2", CultureInfo.InvariantCulture);

    private static string MiB(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F0", CultureInfo.InvariantCulture) + " MiB";
}
