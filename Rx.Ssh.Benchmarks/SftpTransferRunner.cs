using System.Diagnostics;
using Rx.Ssh;
using Rx.Ssh.Sftp;

/// <summary>What one SFTP benchmark transfer moves.</summary>
internal enum SftpTransferKind
{
    GetBig,
    PutBig,
    GetTree,
    PutTree,
}

/// <summary>
/// One timed transfer: the time of the transfer alone (session already up), the client's peak
/// memory and the client's CPU time (Rx.Ssh: this process during the transfer; sftp: sftp and its
/// ssh over their whole run, connection setup included).
/// </summary>
internal readonly record struct SftpMeasurement(TimeSpan Elapsed, long PeakMemory, long PeakGcHeap, TimeSpan ClientCpu, TimeSpan? ServerCpu = null);

/// <summary>
/// Runs one <see cref="SftpTransferKind"/> on <see cref="SftpWorkload"/> with one client: Rx.Ssh's
/// <see cref="SftpClient"/> (a session started beforehand and kept), or OpenSSH's <c>sftp -b</c>.
/// Either way only the transfer is timed: for <c>sftp</c>, from its echo of the transfer command to
/// its echo of the <c>pwd</c> after it (sftp's stdout is line-buffered in batch mode), so its
/// connection setup is not counted, as Rx.Ssh's is not.
/// </summary>
internal abstract class SftpTransferRunner(string name) : IAsyncDisposable
{
    public string Name { get; } = name;

    public abstract Task<SftpMeasurement> RunAsync(SftpWorkload workload, SftpTransferKind kind);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public static (string Source, string Destination) Paths(SftpWorkload workload, SftpTransferKind kind) => kind switch
    {
        SftpTransferKind.GetBig or SftpTransferKind.PutBig => (workload.BigSource, workload.BigDestination),
        _ => (workload.TreeSource, workload.TreeDestination),
    };
}

/// <summary>Rx.Ssh's client: <see cref="SftpClient.GetAsync"/> / <see cref="SftpClient.PutAsync"/> with its defaults (recursive for the tree).</summary>
internal sealed class RxSftpTransferRunner : SftpTransferRunner
{
    private readonly SshClientConnection _connection;
    private readonly SftpClient _client;
    private readonly SftpTransferOptions _tree;
    private readonly SftpTransferOptions _big;
    private readonly int _serverPid;

    private RxSftpTransferRunner(string name, SshClientConnection connection, SftpClient client, int? concurrentFiles, int? uploadChannels, int serverPid)
        : base(name)
    {
        _serverPid = serverPid;
        _connection = connection;
        _client = client;
        _tree = concurrentFiles is int n ? new SftpTransferOptions { Recursive = true, MaxConcurrentFiles = n } : new SftpTransferOptions { Recursive = true };
        _big = new SftpTransferOptions { UploadChannels = uploadChannels };
    }

    public static async Task<RxSftpTransferRunner> StartAsync(IServerUnderTest server, string cipher, int? concurrentFiles, int? requestsInFlight, int? uploadChannels)
    {
        SshClientConnection connection = await new RxSshRunner(server).ConnectAsync(cipher);
        try
        {
            return new RxSftpTransferRunner($"Rx.Ssh → {server.Name}", connection, await connection.StartSftpClientAsync(new SftpClientOptions { MaxRequestsInFlight = requestsInFlight }), concurrentFiles, uploadChannels, server.ProcessId);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public override async Task<SftpMeasurement> RunAsync(SftpWorkload workload, SftpTransferKind kind)
    {
        (string source, string destination) = Paths(workload, kind);
        using var memory = new MemorySampler();
        TimeSpan cpu = ProcessCpu.OfThisProcess();
        TimeSpan serverCpu = ProcessCpu.OfTree(_serverPid);
        long start = Stopwatch.GetTimestamp();
        _ = kind switch
        {
            SftpTransferKind.GetBig => await _client.GetAsync(source, destination),
            SftpTransferKind.PutBig => await _client.PutAsync(source, destination, _big),
            SftpTransferKind.GetTree => await _client.GetAsync(source, destination, _tree),
            _ => await _client.PutAsync(source, destination, _tree),
        };
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        cpu = ProcessCpu.OfThisProcess() - cpu;
        serverCpu = ProcessCpu.OfTree(_serverPid) - serverCpu;
        memory.Dispose();
        return new SftpMeasurement(elapsed, memory.PeakSampledWorkingSet, memory.PeakGcHeap, cpu, serverCpu);
    }

    public override async ValueTask DisposeAsync()
    {
        await _client.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

/// <summary>OpenSSH's <c>sftp -b</c>, one process per transfer; memory is the peak RSS of sftp plus its ssh.</summary>
internal sealed class OpenSftpTransferRunner(IServerUnderTest server, string cipher, string batchDirectory)
    : SftpTransferRunner($"sftp → {server.Name}")
{
    private const string Prompt = "sftp> ";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    public override async Task<SftpMeasurement> RunAsync(SftpWorkload workload, SftpTransferKind kind)
    {
        (string source, string destination) = Paths(workload, kind);
        string command = kind switch
        {
            SftpTransferKind.GetBig => "get",
            SftpTransferKind.PutBig => "put",
            SftpTransferKind.GetTree => "get -r",
            _ => "put -r",
        };
        string batch = Path.Combine(batchDirectory, "batch");
        await File.WriteAllLinesAsync(batch, ["pwd", $"{command} \"{source}\" \"{destination}\"", "pwd"]);

        var psi = new ProcessStartInfo("sftp") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string a in new OpenSshRunner(server).SftpArguments(cipher, batch))
        {
            psi.ArgumentList.Add(a);
        }

        var echoes = new List<long>();
        using var process = new Process { StartInfo = psi };
        TimeSpan cpu = ProcessCpu.OfExitedChildren();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.StartsWith(Prompt, StringComparison.Ordinal) == true)
            {
                lock (echoes)
                {
                    echoes.Add(Stopwatch.GetTimestamp());
                }
            }
        };
        process.Start();
        process.StandardInput.Close();
        using var memory = new ProcessTreeMemory(process.Id);
        process.BeginOutputReadLine();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true); // the sftp and ssh this call started, by PID
            throw new InvalidOperationException($"sftp {command} did not finish within {Timeout.TotalMinutes} minutes");
        }

        process.WaitForExit(); // the last output events
        cpu = ProcessCpu.OfExitedChildren() - cpu;
        long peak = memory.Peak;
        if (process.ExitCode != 0 || echoes.Count != 3)
        {
            throw new InvalidOperationException($"sftp {command} → {server.Name}: exit {process.ExitCode}, {echoes.Count} command echoes: {await stderr}");
        }

        return new SftpMeasurement(Stopwatch.GetElapsedTime(echoes[1], echoes[2]), peak, 0, cpu);
    }
}
