using System.Runtime.InteropServices;

namespace Rx.Ssh.Samples.Serve;

/// <summary>
/// Blocking reads from a pipe or terminal, meant for a thread of its own. A program such as
/// <c>head</c> writes 8 KiB at a time; reading each write separately would send an SSH packet (and
/// wake the connection's writer) per 8 KiB. Instead, after a read returns, whatever else is
/// already waiting (FIONREAD) is read too, so a fast producer fills packets up to
/// <see cref="GatherTarget"/> bytes while a slow one is still sent as soon as it writes.
/// </summary>
internal static unsafe class BlockingReader
{
    /// <summary>Stop gathering at this many bytes: OpenSSH's largest channel packet is 32 KiB.</summary>
    public const int GatherTarget = 32 * 1024;

    /// <summary>Reads at least one byte (blocking), then what is already waiting, up to <see cref="GatherTarget"/>; 0 at end (EOF, or EIO on a terminal whose other side is closed).</summary>
    public static int Read(int fd, Span<byte> buffer)
    {
        int limit = Math.Min(buffer.Length, GatherTarget);
        fixed (byte* p = buffer)
        {
            int total = ReadOnce(fd, p, limit);
            while (total > 0 && total < limit)
            {
                int waiting;
                if (Native.ioctl_int(fd, Native.FIONREAD, &waiting) != 0 || waiting <= 0)
                {
                    break;
                }

                int n = ReadOnce(fd, p + total, Math.Min(waiting, limit - total));
                if (n <= 0)
                {
                    break;
                }

                total += n;
            }

            return total;
        }
    }

    private static int ReadOnce(int fd, byte* buffer, int count)
    {
        while (true)
        {
            nint n = Native.read(fd, buffer, (nuint)count);
            if (n >= 0)
            {
                return (int)n;
            }

            int errno = Marshal.GetLastPInvokeError();
            if (errno == Native.EINTR)
            {
                continue;
            }

            if (errno == Native.EIO)
            {
                return 0;
            }

            throw Native.Error("read", errno);
        }
    }
}
