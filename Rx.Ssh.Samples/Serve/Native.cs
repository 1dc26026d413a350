using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Rx.Ssh.Samples.Serve;

/// <summary>
/// The few libc calls <c>serve</c> needs to start children the way sshd does (Linux, glibc):
/// pipes and pseudo-terminals, <c>posix_spawn</c> with a new session, <c>waitpid</c> for the exact
/// wait status (System.Diagnostics.Process folds "killed by signal N" into exit code 128+N, which
/// cannot be told apart from <c>exit 128+N</c>), and <c>kill</c>.
/// </summary>
internal static unsafe partial class Native
{
    private const string Libc = "libc";

    // fcntl.h (Linux, x86-64 and arm64 share these values).
    public const int O_RDWR = 0x2;
    public const int O_NOCTTY = 0x100;
    public const int O_CLOEXEC = 0x80000;

    // errno.h
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int EAGAIN = 11;

    // spawn.h (glibc): flags for posix_spawnattr_setflags.
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;
    public const short POSIX_SPAWN_SETSID = 0x80;

    // asm-generic/ioctls.h: set the window size of a terminal (the kernel then sends SIGWINCH to its foreground group).
    public const ulong TIOCSWINSZ = 0x5414;

    // asm-generic/ioctls.h: bytes waiting to be read (pipes and terminals).
    public const ulong FIONREAD = 0x541B;

    /// <summary>Room for glibc's opaque posix_spawn_file_actions_t (80 bytes) / posix_spawnattr_t (336 bytes), with margin.</summary>
    public const int SpawnStructSize = 1024;

    /// <summary>struct winsize from sys/ioctl.h.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct WinSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort PixelWidth;
        public ushort PixelHeight;
    }

    [LibraryImport(Libc, SetLastError = true)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int posix_openpt(int flags);

    [LibraryImport(Libc, SetLastError = true)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int grantpt(int fd);

    [LibraryImport(Libc, SetLastError = true)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int unlockpt(int fd);

    /// <summary>Returns 0 or an error number (not errno).</summary>
    [LibraryImport(Libc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int ptsname_r(int fd, byte* buffer, nuint length);

    [LibraryImport(Libc, SetLastError = true)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int ioctl(int fd, ulong request, WinSize* size);

    [LibraryImport(Libc, EntryPoint = "ioctl", SetLastError = true)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int ioctl_int(int fd, ulong request, int* value);

    [LibraryImport(Libc, SetLastError = true)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int pipe2(int* fds, int flags);

    [LibraryImport(Libc, SetLastError = true)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint read(int fd, byte* buffer, nuint count);

    [LibraryImport(Libc, SetLastError = true)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint write(int fd, byte* buffer, nuint count);

    [LibraryImport(Libc, SetLastError = true)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int close(int fd);

    [LibraryImport(Libc, SetLastError = true)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int kill(int pid, int signal);

    [LibraryImport(Libc, SetLastError = true)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int waitpid(int pid, int* status, int options);

    // The posix_spawn family returns an error number instead of setting errno.
    [LibraryImport(Libc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

    [LibraryImport(Libc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int posix_spawn_file_actions_init(void* fileActions);

    [LibraryImport(Libc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int posix_spawn_file_actions_destroy(void* fileActions);

    [LibraryImport(Libc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int posix_spawn_file_actions_adddup2(void* fileActions, int fd, int newFd);

    [LibraryImport(Libc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int posix_spawn_file_actions_addopen(void* fileActions, int fd, byte* path, int flags, uint mode);

    [LibraryImport(Libc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int posix_spawn_file_actions_addchdir_np(void* fileActions, byte* path);

    [LibraryImport(Libc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int posix_spawnattr_init(void* attributes);

    [LibraryImport(Libc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int posix_spawnattr_destroy(void* attributes);

    [LibraryImport(Libc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int posix_spawnattr_setflags(void* attributes, short flags);

    [LibraryImport(Libc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int posix_spawnattr_setsigdefault(void* attributes, void* signals);

    [LibraryImport(Libc)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int posix_spawnattr_setsigmask(void* attributes, void* signals);

    [LibraryImport(Libc, SetLastError = true)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int sigfillset(void* set);

    [LibraryImport(Libc, SetLastError = true)]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int sigemptyset(void* set);

    /// <summary>Throws an <see cref="IOException"/> naming the call and the last errno.</summary>
    public static IOException Error(string call) => Error(call, Marshal.GetLastPInvokeError());

    /// <summary>An <see cref="IOException"/> naming the call and <paramref name="errno"/>.</summary>
    public static IOException Error(string call, int errno) =>
        new($"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
}
