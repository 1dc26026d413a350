using System.Diagnostics;
using System.Globalization;

/// <summary>CPU time (user + system) of a process and its descendants, from /proc (Linux); zero elsewhere.</summary>
internal static class ProcessCpu
{
    /// <summary>The name the runtime gives its background (tiered) JIT thread, as /proc shows it (15 characters at most).</summary>
    public const string TieredCompilationThread = ".NET Tiered";

    private const double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>The CPU time so far of <paramref name="pid"/> and every live descendant.</summary>
    public static TimeSpan OfTree(int pid)
    {
        if (!OperatingSystem.IsLinux())
        {
            return TimeSpan.Zero;
        }

        var parents = new Dictionary<int, List<int>>();
        var ticks = new Dictionary<int, long>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int id))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            // Fields after the command (which may hold spaces) in parentheses: state ppid ... utime(14) stime(15).
            string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            int ppid = int.Parse(f[1], CultureInfo.InvariantCulture);
            ticks[id] = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
            if (!parents.TryGetValue(ppid, out List<int>? children))
            {
                parents[ppid] = children = [];
            }

            children.Add(id);
        }

        long total = 0;
        var stack = new Stack<int>([pid]);
        while (stack.Count > 0)
        {
            int id = stack.Pop();
            total += ticks.GetValueOrDefault(id);
            foreach (int child in parents.GetValueOrDefault(id) ?? [])
            {
                stack.Push(child);
            }
        }

        return TimeSpan.FromSeconds(total / TicksPerSecond);
    }

    /// <summary>CPU time so far of the threads of <paramref name="pid"/> whose name starts with <paramref name="threadName"/>.</summary>
    public static TimeSpan OfThreads(int pid, string threadName)
    {
        if (!OperatingSystem.IsLinux())
        {
            return TimeSpan.Zero;
        }

        long total = 0;
        foreach (string dir in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                int open = stat.IndexOf('(');
                int close = stat.LastIndexOf(')');
                if (!stat[(open + 1)..close].StartsWith(threadName, StringComparison.Ordinal))
                {
                    continue;
                }

                string[] f = stat[(close + 2)..].Split(' ');
                total += long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
        }

        return TimeSpan.FromSeconds(total / TicksPerSecond);
    }

    /// <summary>
    /// CPU time of this process's children that have exited and been waited for, with their own
    /// waited-for descendants (cutime + cstime in /proc/self/stat): the delta over one child's life
    /// is that child's whole tree (sftp and the ssh it started).
    /// </summary>
    public static TimeSpan OfExitedChildren()
    {
        if (!OperatingSystem.IsLinux())
        {
            return TimeSpan.Zero;
        }

        string stat = File.ReadAllText("/proc/self/stat");
        string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromSeconds((long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture)) / TicksPerSecond);
    }

    /// <summary>This process's CPU time so far.</summary>
    public static TimeSpan OfThisProcess()
    {
        using Process self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}

/// <summary>
/// CPU time used during one timed transfer, per side: this process (the benchmark's client and
/// destination service, plus Rx.Ssh's client when it forwards), its tiered JIT thread, the
/// forwarding process (OpenSSH's ssh) and the server's process tree. CPU time is steadier than
/// MB/s on a busy machine.
/// </summary>
internal sealed class CpuUse
{
    private readonly int? _forwarder;
    private readonly int _server;
    private readonly TimeSpan _here;
    private readonly TimeSpan _jit;
    private readonly TimeSpan _ssh;
    private readonly TimeSpan _serverCpu;

    private CpuUse(int? forwarder, int server)
    {
        _forwarder = forwarder;
        _server = server;
        (_here, _jit, _ssh, _serverCpu) = Read();
    }

    public static CpuUse Start(int? forwarderPid, int serverPid) => new(forwarderPid, serverPid);

    /// <summary>What was used since <see cref="Start"/>, as text for a progress line.</summary>
    public string Stop()
    {
        (TimeSpan here, TimeSpan jit, TimeSpan ssh, TimeSpan server) = Read();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"cpu s: here {(here - _here).TotalSeconds:F2} (JIT {(jit - _jit).TotalSeconds:F2}), ssh {(ssh - _ssh).TotalSeconds:F2}, server {(server - _serverCpu).TotalSeconds:F2}");
    }

    private (TimeSpan Here, TimeSpan Jit, TimeSpan Ssh, TimeSpan Server) Read() => (
        ProcessCpu.OfThisProcess(),
        ProcessCpu.OfThreads(Environment.ProcessId, ProcessCpu.TieredCompilationThread),
        _forwarder is int pid ? ProcessCpu.OfTree(pid) : TimeSpan.Zero,
        ProcessCpu.OfTree(_server));
}
