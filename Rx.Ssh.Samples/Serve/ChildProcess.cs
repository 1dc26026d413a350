using System.IO.Pipes;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Rx.Ssh.Samples.Serve;

/// <summary>How a child ended: an exit status, or the signal that killed it.</summary>
internal sealed record ChildExit(int? Status, string? Signal, bool CoreDumped)
{
    public override string ToString() => Signal is null ? $"exit {Status}" : $"killed by SIG{Signal}{(CoreDumped ? " (core dumped)" : string.Empty)}";
}

/// <summary>
/// A child process started with <c>posix_spawn</c> in a new session (as sshd does), with its
/// standard streams on pipes (<see cref="StartWithPipes"/>) or on a pty's slave
/// (<see cref="StartOnPty"/>), and reaped with <c>waitpid</c> so a death by signal is reported
/// as such. Signals inherited as ignored (.NET ignores SIGPIPE) are reset to their defaults and
/// the signal mask is cleared, so the child behaves as it would under a shell.
/// </summary>
internal sealed unsafe class ChildProcess : IDisposable
{
    private ChildProcess(int pid)
    {
        Pid = pid;
        Exited = Task.Factory.StartNew(() => Wait(pid), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The child's process id (also its session and process group id).</summary>
    public int Pid { get; }

    /// <summary>Completes when the child has exited (reaped).</summary>
    public Task<ChildExit> Exited { get; }

    /// <summary>The write end of the child's stdin (pipe mode).</summary>
    public Stream? Stdin { get; private set; }

    /// <summary>The read end of the child's stdout (pipe mode), for <see cref="BlockingReader"/>.</summary>
    public SafeFileHandle? Stdout { get; private set; }

    /// <summary>The read end of the child's stderr (pipe mode), for <see cref="BlockingReader"/>.</summary>
    public SafeFileHandle? Stderr { get; private set; }

    /// <summary>Starts <paramref name="path"/> with stdin, stdout and stderr on three new pipes.</summary>
    public static ChildProcess StartWithPipes(string path, IReadOnlyList<string> argv, IEnumerable<KeyValuePair<string, string>> environment, string? directory)
    {
        int* fds = stackalloc int[6];
        for (int i = 0; i < 3; i++)
        {
            // Close-on-exec everywhere: dup2 onto 0/1/2 in the child clears the flag on the copies only.
            if (Native.pipe2(fds + (2 * i), Native.O_CLOEXEC) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                for (int j = 0; j < 2 * i; j++)
                {
                    _ = Native.close(fds[j]);
                }

                throw Native.Error("pipe2", errno);
            }
        }

        // fds: [0] stdin read (child), [1] stdin write (us), [2] stdout read (us), [3] stdout write (child), [4] stderr read (us), [5] stderr write (child).
        ChildProcess child;
        try
        {
            int stdinRead = fds[0], stdoutWrite = fds[3], stderrWrite = fds[5];
            child = Spawn(path, argv, environment, directory, actions =>
            {
                Check(Native.posix_spawn_file_actions_adddup2((void*)actions, stdinRead, 0), "adddup2");
                Check(Native.posix_spawn_file_actions_adddup2((void*)actions, stdoutWrite, 1), "adddup2");
                Check(Native.posix_spawn_file_actions_adddup2((void*)actions, stderrWrite, 2), "adddup2");
            });
        }
        catch
        {
            for (int j = 0; j < 6; j++)
            {
                _ = Native.close(fds[j]);
            }

            throw;
        }

        _ = Native.close(fds[0]);
        _ = Native.close(fds[3]);
        _ = Native.close(fds[5]);
        child.Stdin = new AnonymousPipeClientStream(PipeDirection.Out, new SafePipeHandle(fds[1], ownsHandle: true));
        child.Stdout = new SafeFileHandle(fds[2], ownsHandle: true);
        child.Stderr = new SafeFileHandle(fds[4], ownsHandle: true);
        return child;
    }

    /// <summary>
    /// Starts <paramref name="path"/> on <paramref name="pty"/>: after <c>setsid()</c> the child
    /// opens the slave as fd 0 (so it becomes its controlling terminal) and duplicates it to 1 and 2.
    /// </summary>
    public static ChildProcess StartOnPty(string path, IReadOnlyList<string> argv, IEnumerable<KeyValuePair<string, string>> environment, string? directory, Pty pty)
    {
        ArgumentNullException.ThrowIfNull(pty);
        nint slave = Marshal.StringToCoTaskMemUTF8(pty.SlavePath);
        try
        {
            return Spawn(path, argv, environment, directory, actions =>
            {
                // glibc runs setsid() (POSIX_SPAWN_SETSID) before the file actions, so this open acquires the tty.
                Check(Native.posix_spawn_file_actions_addopen((void*)actions, 0, (byte*)slave, Native.O_RDWR, 0), "addopen");
                Check(Native.posix_spawn_file_actions_adddup2((void*)actions, 0, 1), "adddup2");
                Check(Native.posix_spawn_file_actions_adddup2((void*)actions, 0, 2), "adddup2");
            });
        }
        finally
        {
            Marshal.FreeCoTaskMem(slave);
        }
    }

    /// <summary>Sends <paramref name="signal"/> to the child's whole process group (its session); ignores a group already gone.</summary>
    public void SignalGroup(int signal) => _ = Native.kill(-Pid, signal);

    /// <summary>Sends <paramref name="signal"/> to the child itself.</summary>
    public void Signal(int signal) => _ = Native.kill(Pid, signal);

    /// <summary>Closes the pipes (pipe mode).</summary>
    public void Dispose()
    {
        Stdin?.Dispose();
        Stdout?.Dispose();
        Stderr?.Dispose();
    }

    private static ChildProcess Spawn(string path, IReadOnlyList<string> argv, IEnumerable<KeyValuePair<string, string>> environment, string? directory, Action<nint> addFileActions)
    {
        var strings = new List<nint>();
        void* actions = NativeMemory.AllocZeroed(Native.SpawnStructSize);
        void* attributes = NativeMemory.AllocZeroed(Native.SpawnStructSize);
        void* allSignals = NativeMemory.AllocZeroed(Native.SpawnStructSize);
        void* noSignals = NativeMemory.AllocZeroed(Native.SpawnStructSize);
        string[] env = environment.Select(kv => kv.Key + "=" + kv.Value).ToArray();
        byte** argvPtr = (byte**)NativeMemory.AllocZeroed((nuint)(argv.Count + 1), (nuint)sizeof(nint));
        byte** envPtr = (byte**)NativeMemory.AllocZeroed((nuint)(env.Length + 1), (nuint)sizeof(nint));
        Check(Native.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
        Check(Native.posix_spawnattr_init(attributes), "posix_spawnattr_init");
        try
        {
            for (int i = 0; i < argv.Count; i++)
            {
                argvPtr[i] = (byte*)Utf8(argv[i]);
            }

            for (int i = 0; i < env.Length; i++)
            {
                envPtr[i] = (byte*)Utf8(env[i]);
            }

            if (directory is not null && Directory.Exists(directory))
            {
                Check(Native.posix_spawn_file_actions_addchdir_np(actions, (byte*)Utf8(directory)), "addchdir_np");
            }

            addFileActions((nint)actions);
            _ = Native.sigfillset(allSignals);
            _ = Native.sigemptyset(noSignals);
            Check(Native.posix_spawnattr_setsigdefault(attributes, allSignals), "posix_spawnattr_setsigdefault");
            Check(Native.posix_spawnattr_setsigmask(attributes, noSignals), "posix_spawnattr_setsigmask");
            Check(Native.posix_spawnattr_setflags(attributes, Native.POSIX_SPAWN_SETSID | Native.POSIX_SPAWN_SETSIGDEF | Native.POSIX_SPAWN_SETSIGMASK), "posix_spawnattr_setflags");
            int pid;
            Check(Native.posix_spawn(&pid, (byte*)Utf8(path), actions, attributes, argvPtr, envPtr), "posix_spawn " + path);
            return new ChildProcess(pid);
        }
        finally
        {
            _ = Native.posix_spawn_file_actions_destroy(actions);
            _ = Native.posix_spawnattr_destroy(attributes);
            foreach (nint s in strings)
            {
                Marshal.FreeCoTaskMem(s);
            }

            NativeMemory.Free(argvPtr);
            NativeMemory.Free(envPtr);
            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(allSignals);
            NativeMemory.Free(noSignals);
        }

        nint Utf8(string s)
        {
            nint p = Marshal.StringToCoTaskMemUTF8(s);
            strings.Add(p);
            return p;
        }
    }

    private static void Check(int error, string call)
    {
        if (error != 0)
        {
            throw Native.Error(call, error);
        }
    }

    /// <summary>Blocks (on its own thread) until the child exits, then decodes the wait status.</summary>
    private static ChildExit Wait(int pid)
    {
        int status;
        while (Native.waitpid(pid, &status, 0) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Native.EINTR)
            {
                throw Native.Error("waitpid", errno);
            }
        }

        // sys/wait.h: WIFEXITED is (status & 0x7f) == 0, WEXITSTATUS is (status >> 8) & 0xff,
        // WTERMSIG is status & 0x7f, WCOREDUMP is status & 0x80.
        int terminatingSignal = status & 0x7f;
        return terminatingSignal == 0
            ? new ChildExit((status >> 8) & 0xff, null, false)
            : new ChildExit(null, Signals.NameOf(terminatingSignal), (status & 0x80) != 0);
    }
}
