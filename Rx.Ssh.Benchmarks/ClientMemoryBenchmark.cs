using System.Diagnostics;
using System.Globalization;
using Rx.Ssh;

/// <summary>
/// <c>--client-memory</c>: the Rx.Ssh client's own memory while it moves <see cref="BenchmarkOptions.SizeMb"/>
/// each way (issue 16, item 6: peak working set under 48 MiB for 1 GiB), and OpenSSH's <c>ssh</c>
/// doing the same in the same run, both against <see cref="ScaleServer"/> in a child process, so this
/// process holds nothing but the client. Both pinned to aes128-gcm@openssh.com and curve25519-sha256.
/// The Rx.Ssh client moves the bytes through the public process API with one reused 256 KiB buffer,
/// as an application would; reported: its working set after connecting, its CPU time and the sampled peak during each
/// transfer, the managed heap's peak, the bytes allocated per MiB moved and the collections run; for
/// <c>ssh</c>, its peak resident set (VmHWM). Publish this project with NativeAOT
/// (<c>dotnet publish -c Release -r linux-x64 -p:PublishAot=true</c>) to measure a native client.
/// </summary>
internal sealed class ClientMemoryBenchmark(BenchKeys keys, BenchmarkOptions options, TextWriter output)
{
    private const int BufferSize = 256 * 1024;
    private const string Cipher = "aes128-gcm@openssh.com";

    public async Task<int> RunAsync()
    {
        using var server = ScaleServerProcess.Start(keys.Directory, rekeyBytes: 0);
        int port = await server.ReadPortAsync();
        keys.Trust(port);
        long bytes = options.SizeMb * 1024L * 1024;
        await using SshClientConnection connection = await SshClient.ConnectAsync("127.0.0.1", port, new SshClientOptions
        {
            UserName = keys.UserName,
            KeyFiles = [keys.UserKey],
            UseDefaultKeys = false,
            HostKeyVerifier = new KnownHostsVerifier(keys.KnownHosts),
            Algorithms = SshAlgorithms.Default with { Ciphers = [Cipher], KeyExchange = [CipherSpec.DefaultKex] },
        });

        // Warm-up: JIT the paths once, so the measured peaks are the steady state's.
        await UploadAsync(connection, 16L * 1024 * 1024);
        await DownloadAsync(connection, 16L * 1024 * 1024);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        long baseline = Environment.WorkingSet;

        string runtime = System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported ? "JIT" : "NativeAOT";
        output.WriteLine($"Rx.Ssh client ({runtime}, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC) alone in this process; Rx.Ssh server in a child process on 127.0.0.1:{port}; {Environment.ProcessorCount} cores; {Cipher}");
        output.WriteLine();
        output.WriteLine($"| {options.SizeMb} MiB | MB/s | CPU s | peak working set | peak managed heap | allocated per MiB | gen0/gen1/gen2 |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        output.WriteLine($"| Rx.Ssh, after connect and warm-up | | | {Mib(baseline)} | | | |");
        long up = await MeasureAsync("Rx.Ssh upload", bytes, () => UploadAsync(connection, bytes));
        long down = await MeasureAsync("Rx.Ssh download", bytes, () => DownloadAsync(connection, bytes));

        // ssh after ours: starting and feeding it costs this process memory that must not count as the client's.
        long ssh = await MeasureSshAsync(new OpenSshRunner(new ScaleServerUnderTest(port, server.ProcessId, keys)), bytes);
        output.WriteLine($"| OpenSSH `ssh`, upload and download | | | {Mib(ssh)} (VmHWM) | | | |");
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Rx.Ssh peak / ssh peak: {Math.Max(up, down) / (double)ssh:F1}"));
        return 0;
    }

    private async Task<long> MeasureAsync(string what, long bytes, Func<Task> transfer)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        int g0 = GC.CollectionCount(0), g1 = GC.CollectionCount(1), g2 = GC.CollectionCount(2);
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        using var memory = new MemorySampler();
        await transfer();
        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        long perMib = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / Math.Max(1, bytes / (1024 * 1024));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {what} | {bytes / watch.Elapsed.TotalSeconds / 1e6:F0} | {cpu.TotalSeconds:F2} | {Mib(memory.PeakSampledWorkingSet)} | {Mib(memory.PeakGcHeap)} | {perMib} B | {GC.CollectionCount(0) - g0}/{GC.CollectionCount(1) - g1}/{GC.CollectionCount(2) - g2} |"));
        return memory.PeakSampledWorkingSet;
    }

    /// <summary><c>ssh</c> uploading then downloading <paramref name="bytes"/>; the larger of its two peak resident sets.</summary>
    private static async Task<long> MeasureSshAsync(OpenSshRunner runner, long bytes)
    {
        long peak = 0;
        foreach (bool upload in new[] { true, false })
        {
            ProcessStartInfo psi = runner.SshStartInfo(Cipher, upload ? "sink" : string.Create(CultureInfo.InvariantCulture, $"source {bytes}"));
            psi.RedirectStandardInput = true;
            psi.RedirectStandardOutput = true;
            using Process ssh = Process.Start(psi) ?? throw new InvalidOperationException("ssh did not start");
            using (var memory = new ProcessTreeMemory(ssh.Id))
            {
                Task drain = ssh.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                if (upload)
                {
                    var buffer = new byte[BufferSize];
                    for (long left = bytes; left > 0; left -= BufferSize)
                    {
                        await ssh.StandardInput.BaseStream.WriteAsync(buffer.AsMemory(0, (int)Math.Min(left, BufferSize)));
                    }
                }

                ssh.StandardInput.Close();
                await drain;
                await ssh.WaitForExitAsync();
                peak = Math.Max(peak, memory.Peak);
            }

            if (ssh.ExitCode != 0)
            {
                throw new InvalidOperationException($"ssh {(upload ? "upload" : "download")} exited with {ssh.ExitCode}");
            }
        }

        return peak;
    }

    private static async Task UploadAsync(SshClientConnection connection, long bytes)
    {
        await using SshClientProcess sink = await connection.CreateProcessAsync("sink");
        Task<string> reply = sink.Stdout.ReadToEndAsync();
        var buffer = new byte[BufferSize];
        for (long left = bytes; left > 0; left -= BufferSize)
        {
            await sink.Stdin.WriteAsync(buffer.AsMemory(0, (int)Math.Min(left, BufferSize)));
        }

        await sink.Stdin.CloseAsync();
        _ = await reply;
    }

    private static async Task DownloadAsync(SshClientConnection connection, long bytes)
    {
        await using SshClientProcess source = await connection.CreateProcessAsync(string.Create(CultureInfo.InvariantCulture, $"source {bytes}"));
        var buffer = new byte[BufferSize];
        long received = 0;
        int n;
        while ((n = await source.Stdout.ReadAsync(buffer)) > 0)
        {
            received += n;
        }

        if (received != bytes)
        {
            throw new InvalidOperationException($"download got {received} of {bytes} bytes");
        }
    }

    private static string Mib(long value) => string.Create(CultureInfo.InvariantCulture, $"{value / (1024.0 * 1024):F1} MiB");

    /// <summary>The scale server as <see cref="OpenSshRunner"/>'s target (the child process owns its lifetime).</summary>
    private sealed record ScaleServerUnderTest(int Port, int ProcessId, BenchKeys Keys) : IServerUnderTest
    {
        public string Name => "Rx.Ssh scale server";

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
