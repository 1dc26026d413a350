using System.Runtime.InteropServices;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// CPU time of the calling thread (Linux <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>): for
/// "this work takes under N ms" checks that must hold on a loaded machine, where wall time
/// measures the other processes too. Only work that stays on one thread can be measured this way.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ThreadCpuTimeId = 3; // CLOCK_THREAD_CPUTIME_ID

    /// <summary>The calling thread's CPU time so far.</summary>
    public static TimeSpan Now()
    {
        if (ClockGetTime(ThreadCpuTimeId, out TimeSpec time) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed: errno " + Marshal.GetLastPInvokeError());
        }

        return TimeSpan.FromTicks((time.Seconds * TimeSpan.TicksPerSecond) + (time.Nanoseconds / 100));
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>struct timespec (64-bit).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
