using System.Runtime.InteropServices;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// The few libc calls <see cref="PtySession"/> needs (Linux, glibc; constants for x86-64 and arm64).
/// Every wrapper returns -1 and leaves errno in <see cref="Marshal.GetLastPInvokeError"/> on failure.
/// </summary>
internal static unsafe partial class PtyNative
{
    public const int ReadWrite = 0x2;        // O_RDWR
    public const int NoControllingTty = 0x100; // O_NOCTTY
    public const int CloseOnExec = 0x80000;  // O_CLOEXEC
    public const int Interrupted = 4;        // EINTR
    public const int IOError = 5;            // EIO: a pty master reads this once no slave is open any more
    public const short PollIn = 0x1;         // POLLIN
    public const short PollHangUp = 0x10;    // POLLHUP
    public const short PollError = 0x8;      // POLLERR

    private const string Libc = "libc";
    private const nuint SetWindowSize = 0x5414; // TIOCSWINSZ
    private const nuint GetWindowSize = 0x5413; // TIOCGWINSZ

    /// <summary>struct winsize.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct WindowSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport(Libc, EntryPoint = "posix_openpt", SetLastError = true)]
    public static partial int OpenPtyMaster(int flags);

    [LibraryImport(Libc, EntryPoint = "grantpt", SetLastError = true)]
    public static partial int GrantPty(int masterFd);

    [LibraryImport(Libc, EntryPoint = "unlockpt", SetLastError = true)]
    public static partial int UnlockPty(int masterFd);

    [LibraryImport(Libc, EntryPoint = "ptsname_r", SetLastError = true)]
    public static partial int PtySlaveName(int masterFd, byte* buffer, nuint length);

    [LibraryImport(Libc, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport(Libc, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(Libc, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollDescriptor* descriptors, nuint count, int timeoutMilliseconds);

    // ioctl is variadic in C; passing the one pointer argument as a fixed parameter is what the
    // x86-64 and arm64 Linux calling conventions expect for it.
    [LibraryImport(Libc, EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoctlWindowSize(int fd, nuint request, WindowSize* size);

    /// <summary>TIOCSWINSZ: sets the terminal's size; the kernel then sends SIGWINCH to its foreground process group.</summary>
    public static int SetSize(int fd, TerminalSize size)
    {
        var value = new WindowSize { Rows = checked((ushort)size.Rows), Columns = checked((ushort)size.Columns) };
        return IoctlWindowSize(fd, SetWindowSize, &value);
    }

    /// <summary>TIOCGWINSZ: the terminal's size.</summary>
    public static TerminalSize GetSize(int fd)
    {
        WindowSize value;
        ThrowOnError(IoctlWindowSize(fd, GetWindowSize, &value), "ioctl(TIOCGWINSZ)");
        return new TerminalSize(value.Columns, value.Rows);
    }

    /// <summary>Throws <see cref="IOException"/> with errno when <paramref name="result"/> is negative.</summary>
    public static int ThrowOnError(int result, string call)
    {
        if (result < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
        }

        return result;
    }
}
