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
