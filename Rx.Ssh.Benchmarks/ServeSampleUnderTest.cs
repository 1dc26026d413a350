using System.Diagnostics;
using System.Globalization;

/// <summary>
/// The Rx.Ssh server sample: <c>dotnet Rx.Ssh.Samples.dll serve --listen 127.0.0.1 --port P
/// --host-key FILE --authorized-keys FILE</c>, ready once the port answers with an SSH
/// identification string.
/// </summary>
internal sealed class ServeSampleUnderTest : IServerUnderTest
{
    private readonly ServerProcess _process;

    private ServeSampleUnderTest(BenchKeys keys, int port, ServerProcess process)
    {
        Keys = keys;
        Port = port;
        _process = process;
    }

    public string Name => "serve";

    public BenchKeys Keys { get; }

    public int Port { get; }

    public int ProcessId => _process.ProcessId;

    /// <summary>
    /// The samples' build output next to this program's: <c>Rx.Ssh.Samples/bin/CONFIG/TFM/Rx.Ssh.Samples.dll</c>
    /// in the repository holding <c>RxSsh.sln</c>, for the configuration this benchmark was built with.
    /// </summary>
    public static string DefaultSampleDll()
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string tfm = bin.Name;
        string configuration = bin.Parent?.Name ?? "Release";
        for (DirectoryInfo? dir = bin; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RxSsh.sln")))
            {
                return Path.Combine(dir.FullName, "Rx.Ssh.Samples", "bin", configuration, tfm, "Rx.Ssh.Samples.dll");
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "Rx.Ssh.Samples.dll");
    }

    /// <summary>Starts the sample; throws <see cref="ServerUnavailableException"/> when it cannot serve.</summary>
    public static async Task<ServeSampleUnderTest> StartAsync(BenchKeys keys, string sampleDll)
    {
        if (!File.Exists(sampleDll))
        {
            throw new ServerUnavailableException($"{sampleDll} not found (build Rx.Ssh.Samples in the same configuration)");
        }

        int port = SshdServer.FreePort();
        var psi = new ProcessStartInfo("dotnet");
        foreach (string a in new[]
        {
            sampleDll, "serve", "--listen", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
            "--host-key", keys.HostKey, "--authorized-keys", keys.AuthorizedKeys,
        })
        {
            psi.ArgumentList.Add(a);
        }

        ServerProcess process;
        try
        {
            process = await ServerProcess.StartAsync(psi, port, TimeSpan.FromSeconds(30));
        }
        catch (ServerExitedException e)
        {
            string first = e.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no output";
            throw new ServerUnavailableException($"the sample exited with {e.ExitCode} ({first})");
        }
        catch (TimeoutException)
        {
            throw new ServerUnavailableException($"no SSH identification on port {port} within 30 s");
        }

        keys.Trust(port);
        return new ServeSampleUnderTest(keys, port, process);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}

/// <summary>A server under test could not be started; the benchmark reports it and goes on without it.</summary>
internal sealed class ServerUnavailableException(string reason) : Exception(reason);
