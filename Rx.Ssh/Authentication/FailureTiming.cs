using System.Security.Cryptography;
using System.Text;

namespace Rx.Ssh.Authentication;

/// <summary>
/// When the server answers a failed authentication request. Each user name gets its own target
/// time between the configured delay and one and a half times it, derived from the name with a key
/// that is random per process (the same target for every attempt at one name, so averaging many
/// attempts shows nothing; unrelated across names and servers). The answer goes out at that target
/// after the request arrived; when checking took longer than the target, at the next multiple of
/// it, so the time of a slow check (a database, a file that exists for one user and not another)
/// is rounded away instead of showing through.
/// </summary>
internal static class FailureTiming
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    /// <summary>The target time for <paramref name="userName"/>: from <paramref name="delay"/> up to (not including) 1.5 times it.</summary>
    public static TimeSpan TargetFor(string userName, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(userName);
        if (delay <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(userName), mac);
        double fraction = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(mac) / 4294967296.0;
        return delay + TimeSpan.FromTicks((long)(delay.Ticks * fraction / 2));
    }

    /// <summary>
    /// How long after the request arrived the failure is answered: <paramref name="target"/> when the
    /// work took less (<paramref name="elapsed"/>), else the first multiple of it past the work's time.
    /// </summary>
    public static TimeSpan AnswerAfter(TimeSpan target, TimeSpan elapsed)
    {
        if (target <= TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        if (elapsed < target)
        {
            return target;
        }

        long multiples = (elapsed.Ticks / target.Ticks) + 1;
        return TimeSpan.FromTicks(target.Ticks * multiples);
    }
}
