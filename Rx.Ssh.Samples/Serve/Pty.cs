using System.Runtime.InteropServices;

namespace Rx.Ssh.Samples.Serve;

/// <summary>
/// A pseudo-terminal pair for one <c>ssh -t</c> session (Linux). The master side stays here: what
/// the client types is written to it, what the child prints is read from it. The child opens the
/// slave by <see cref="SlavePath"/> after <c>setsid()</c> (see <see cref="ChildProcess"/>), which
/// makes it the child's controlling terminal; this process never opens the slave itself, so once
/// the child and its descendants close it, reading the master ends with EIO (end of output).
/// </summary>
internal sealed unsafe class Pty : IDisposable
{
    private int _master;

    private Pty(int master, string slavePath)
    {
        _master = master;
        SlavePath = slavePath;
    }

    /// <summary>The slave's device path (<c>/dev/pts/N</c>).</summary>
    public string SlavePath { get; }

    /// <summary>Allocates a pty: posix_openpt (close-on-exec, so children don't inherit the master), grantpt, unlockpt, ptsname_r.</summary>
    public static Pty Open()
    {
        int master = Native.posix_openpt(Native.O_RDWR | Native.O_NOCTTY | Native.O_CLOEXEC);
        if (master < 0)
        {
            throw Native.Error("posix_openpt");
        }

        try
        {
            if (Native.grantpt(master) != 0)
            {
                throw Native.Error("grantpt");
            }

            if (Native.unlockpt(master) != 0)
            {
                throw Native.Error("unlockpt");
            }

            byte* name = stackalloc byte[256];
            int error = Native.ptsname_r(master, name, 256);
            if (error != 0)
            {
                throw Native.Error("ptsname_r", error);
            }

            return new Pty(master, Marshal.PtrToStringUTF8((nint)name)!);
        }
        catch
        {
            _ = Native.close(master);
            throw;
        }
    }

    /// <summary>Sets the terminal size (TIOCSWINSZ); on a change the kernel sends SIGWINCH to the terminal's foreground process group.</summary>
    public void SetSize(SshTerminal terminal)
    {
        var size = new Native.WinSize
        {
            Columns = Clamp(terminal.Columns),
            Rows = Clamp(terminal.Rows),
            PixelWidth = Clamp(terminal.PixelWidth),
            PixelHeight = Clamp(terminal.PixelHeight),
        };
        if (Native.ioctl(_master, Native.TIOCSWINSZ, &size) != 0)
        {
            throw Native.Error("ioctl(TIOCSWINSZ)");
        }

        static ushort Clamp(int value) => (ushort)Math.Clamp(value, 0, ushort.MaxValue);
    }

    /// <summary>
    /// Blocking read of the child's output; 0 once the slave is closed everywhere (Linux reports
    /// that as EIO) or the pty was disposed. Call it from a dedicated thread.
    /// </summary>
    public int Read(Span<byte> buffer)
    {
        int fd = Volatile.Read(ref _master);
        return fd < 0 ? 0 : BlockingReader.Read(fd, buffer);
    }

    /// <summary>Writes all of <paramref name="data"/> to the terminal's input (blocking while the tty's input queue is full).</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            int done = 0;
            while (done < data.Length)
            {
                int fd = Volatile.Read(ref _master);
                if (fd < 0)
                {
                    return;
                }

                nint n = Native.write(fd, p + done, (nuint)(data.Length - done));
                if (n >= 0)
                {
                    done += (int)n;
                    continue;
                }

                int errno = Marshal.GetLastPInvokeError();
                if (errno is Native.EINTR or Native.EAGAIN)
                {
                    continue;
                }

                if (errno == Native.EIO)
                {
                    return; // the child is gone; its input has nowhere to go
                }

                throw Native.Error("write(pty)", errno);
            }
        }
    }

    /// <summary>Closes the master (the child, if still running, gets SIGHUP from the kernel).</summary>
    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _master, -1);
        if (fd >= 0)
        {
            _ = Native.close(fd);
        }
    }
}
