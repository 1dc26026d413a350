using System.Diagnostics;
using System.Globalization;

/// <summary>This benchmark run again as a child process in one of its hidden modes (a server or relay whose memory and CPU must not count as the client's).</summary>
internal static class BenchmarkChild
{
    /// <summary>Starts this program with <paramref name="args"/>, standard input and output redirected.</summary>
    public static Process Start(params string[] args)
    {
        // Under `dotnet` the child is this assembly run again; published natively (NativeAOT), this executable.
        string self = Environment.ProcessPath ?? "dotnet";
        bool hosted = Path.GetFileNameWithoutExtension(self) == "dotnet";
        var psi = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (hosted)
        {
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Rx.Ssh.Benchmarks.dll"));
        }

        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi) ?? throw new InvalidOperationException("the benchmark's child process did not start");
    }

    /// <summary>The port from the child's first line, <c>port P</c>.</summary>
    public static async Task<int> ReadPortAsync(Process child, string what)
    {
        string line = await child.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException(what + " exited before listening");
        return int.Parse(line.AsSpan("port ".Length), CultureInfo.InvariantCulture);
    }
}
