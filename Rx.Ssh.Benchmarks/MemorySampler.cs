using System.Diagnostics;

/// <summary>
/// Samples this process's working set and managed heap size every 20 ms while alive and keeps
/// the peaks; <see cref="PeakWorkingSet"/> also folds in the OS-reported lifetime peak.
/// </summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly Timer _timer;
    private long _peakWorkingSet;
    private long _peakGcHeap;

    public MemorySampler()
    {
        Sample();
        _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(20));
    }

    public long PeakWorkingSet => Math.Max(Interlocked.Read(ref _peakWorkingSet), Process.GetCurrentProcess().PeakWorkingSet64);

    public long PeakSampledWorkingSet => Interlocked.Read(ref _peakWorkingSet);

    public long PeakGcHeap => Interlocked.Read(ref _peakGcHeap);

    public void Dispose()
    {
        _timer.Dispose();
        Sample();
    }

    private void Sample()
    {
        Max(ref _peakWorkingSet, Environment.WorkingSet);
        Max(ref _peakGcHeap, GC.GetTotalMemory(false));
    }

    private static void Max(ref long target, long value)
    {
        long current;
        while (value > (current = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

/// <summary>
/// Samples the peak resident set (VmHWM, from /proc) of another process and its descendants every
/// 20 ms while alive: <see cref="Peak"/> is the sum of each process's peak (for <c>sftp</c>, the
/// sftp process and the <c>ssh</c> it runs). Linux only; zero elsewhere.
/// </summary>
internal sealed class ProcessTreeMemory : IDisposable
{
    private readonly int _root;
    private readonly Dictionary<int, long> _peaks = [];
    private readonly Lock _gate = new();
    private readonly Timer _timer;

    public ProcessTreeMemory(int root)
    {
        _root = root;
        _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(20));
    }

    public long Peak
    {
        get
        {
            lock (_gate)
            {
                return _peaks.Values.Sum();
            }
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var pending = new Stack<int>([_root]);
        while (pending.Count > 0)
        {
            int pid = pending.Pop();
            try
            {
                string? hwm = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                if (hwm is not null && long.TryParse(hwm[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out long kib))
                {
                    lock (_gate)
                    {
                        _peaks[pid] = Math.Max(_peaks.GetValueOrDefault(pid), kib * 1024);
                    }
                }

                foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
                {
                    foreach (string child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        pending.Push(int.Parse(child, System.Globalization.CultureInfo.InvariantCulture));
                    }
                }
            }
            catch (IOException)
            {
                // exited between the listing and the read
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
