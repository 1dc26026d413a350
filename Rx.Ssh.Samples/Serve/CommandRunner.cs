namespace Rx.Ssh.Samples.Serve;

/// <summary>
/// Runs one session's command on this machine as the user running the program, the way sshd
/// does: exec requests through <c>/bin/sh -c CMD</c>, shell requests with the user's login shell
/// (else <c>/bin/sh -i</c>); on pipes without a pty, on a real pseudo-terminal with one. The
/// client's environment variables are passed on; the exit status, or the signal that killed the
/// child, goes back to the client.
/// </summary>
internal static class CommandRunner
{
    /// <summary>Pump buffer size: large reads keep the per-byte cost of the channel low.</summary>
    private const int BufferSize = 64 * 1024;

    /// <summary>How long output may keep coming after the child exited (from descendants holding the terminal) before the session ends anyway.</summary>
    private static readonly TimeSpan OutputGrace = TimeSpan.FromSeconds(2);

    /// <summary>How long a child may outlive its closed channel after SIGHUP before it gets SIGKILL.</summary>
    private static readonly TimeSpan HangupGrace = TimeSpan.FromSeconds(5);

    /// <summary>Runs the session's command (the <see cref="SshServerOptions.ProcessHandler"/>) and returns how it ended.</summary>
    public static async Task<ChildExit> RunAsync(SshServerProcess process)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (process.Subsystem is { } subsystem)
        {
            await process.Stderr.WriteAsync($"Subsystem '{subsystem}' is not supported.\n");
            process.ExitStatus = 1;
            return new ChildExit(1, null, false);
        }

        (string path, string[] argv) = CommandLineFor(process.Command);
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        ChildExit exit = process.Terminal is { } terminal
            ? await RunOnPtyAsync(process, terminal, path, argv, home)
            : await RunWithPipesAsync(process, path, argv, home);
        if (exit.Signal is { } signal)
        {
            await process.ExitWithSignalAsync(signal, exit.CoreDumped);
        }
        else
        {
            process.ExitStatus = exit.Status ?? 0;
        }

        return exit;
    }

    /// <summary>The program and arguments: <c>/bin/sh -c CMD</c>, or a login shell (<c>argv[0]</c> starting with '-').</summary>
    internal static (string Path, string[] Argv) CommandLineFor(string? command)
    {
        if (command is not null)
        {
            return ("/bin/sh", ["sh", "-c", command]);
        }

        string? shell = LoginShell();
        return shell is not null && File.Exists(shell)
            ? (shell, ["-" + Path.GetFileName(shell)])
            : ("/bin/sh", ["sh", "-i"]);
    }

    private static async Task<ChildExit> RunWithPipesAsync(SshServerProcess process, string path, string[] argv, string home)
    {
        using ChildProcess child = ChildProcess.StartWithPipes(path, argv, EnvironmentFor(process, null), home);
        using CancellationTokenRegistration hangup = WhenClosed(process, child);
        using IDisposable signals = ForwardSignals(process, child);
        using var inputDone = new CancellationTokenSource();
        Task input = PumpInputAsync(process.Stdin, child.Stdin!, inputDone.Token);
        try
        {
            await Task.WhenAll(StartPump(child.Stdout!, process.Stdout), StartPump(child.Stderr!, process.Stderr));
        }
        catch (Exception ex) when (ex is SshException or OperationCanceledException or IOException)
        {
            // The client went away; WhenClosed hangs the child up.
        }

        ChildExit exit = await child.Exited;
        await inputDone.CancelAsync();
        await input;
        return exit;
    }

    private static async Task<ChildExit> RunOnPtyAsync(SshServerProcess process, SshTerminal terminal, string path, string[] argv, string home)
    {
        using Pty pty = Pty.Open();
        pty.SetSize(terminal);
        var environment = EnvironmentFor(process, terminal);
        environment["SSH_TTY"] = pty.SlavePath;
        using ChildProcess child = ChildProcess.StartOnPty(path, argv, environment, home, pty);
        using CancellationTokenRegistration hangup = WhenClosed(process, child);
        using IDisposable signals = ForwardSignals(process, child);
        using IDisposable resize = process.TerminalSizeChanges.Subscribe(pty.SetSize);
        using var inputDone = new CancellationTokenSource();
        Task input = Task.Run(() => PumpInputAsync(process.Stdin, pty, inputDone.Token));

        Task output = StartPump(pty.Read, process.Stdout);
        ChildExit exit = await child.Exited;
        try
        {
            await output.WaitAsync(OutputGrace);
        }
        catch (TimeoutException)
        {
            // A descendant still holds the terminal: hang it up and end the session as sshd does.
            child.SignalGroup(Signals.Hup);
        }
        catch (Exception ex) when (ex is SshException or OperationCanceledException or IOException)
        {
        }

        await inputDone.CancelAsync();
        await input;
        return exit;
    }

    /// <summary>The child's environment: ours, minus TERM unless there is a terminal, plus what the client sent.</summary>
    private static Dictionary<string, string> EnvironmentFor(SshServerProcess process, SshTerminal? terminal)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        environment.Remove("TERM");
        if (terminal is not null)
        {
            environment["TERM"] = terminal.TerminalType;
        }

        if (process.Connection.RemoteEndPoint is System.Net.IPEndPoint remote)
        {
            environment["SSH_CLIENT"] = $"{remote.Address} {remote.Port}";
        }

        foreach (KeyValuePair<string, string> variable in process.Environment)
        {
            environment[variable.Key] = variable.Value;
        }

        return environment;
    }

    /// <summary>Output pump from a pipe: see <see cref="StartPump(ReadBlocking, SshProcessWriter)"/>.</summary>
    private static Task StartPump(Microsoft.Win32.SafeHandles.SafeFileHandle pipe, SshProcessWriter destination) =>
        StartPump(buffer => BlockingReader.Read((int)pipe.DangerousGetHandle(), buffer), destination);

    /// <summary>
    /// Output pump on a thread of its own: blocking reads (gathering what is waiting, see
    /// <see cref="BlockingReader"/>) into one buffer reused for every chunk, each chunk handed to the
    /// channel before the next read. The write usually completes at once (it only queues the packet
    /// for the connection); it blocks only when the client's window or the connection's send
    /// budget is used up, which is the flow control this pump obeys. No per-chunk allocation of
    /// its own, and no thread pool hop per chunk.
    /// </summary>
    private static Task StartPump(ReadBlocking read, SshProcessWriter destination) =>
        Task.Factory.StartNew(
            () =>
            {
                byte[] buffer = new byte[BufferSize];
                int n;
                while ((n = read(buffer)) > 0)
                {
                    Task written = destination.WriteAsync(buffer.AsMemory(0, n));
                    if (!written.IsCompletedSuccessfully)
                    {
                        written.GetAwaiter().GetResult();
                    }
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    private delegate int ReadBlocking(Span<byte> buffer);

    /// <summary>Client input to the child's stdin pipe; EOF from the client closes the pipe.</summary>
    private static async Task PumpInputAsync(SshProcessReader source, Stream destination, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[BufferSize];
        try
        {
            int n;
            while ((n = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SshException)
        {
            // The child closed its stdin or exited, or the client left.
        }
        finally
        {
            try
            {
                await destination.DisposeAsync();
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Client input to the terminal; the tty does echo and line editing. EOF from the client changes nothing (as sshd).</summary>
    private static async Task PumpInputAsync(SshProcessReader source, Pty pty, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[BufferSize];
        try
        {
            int n;
            while ((n = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                pty.Write(buffer.AsSpan(0, n));
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SshException)
        {
        }
    }

    /// <summary>Signals the client sends (<c>ssh</c>'s signal request) go to the child.</summary>
    private static IDisposable ForwardSignals(SshServerProcess process, ChildProcess child) =>
        process.Signals.Subscribe(name =>
        {
            if (Signals.NumberOf(name) is { } number)
            {
                child.Signal(number);
            }
        });

    /// <summary>When the channel closes before the child exits: SIGHUP to its session, SIGKILL if it is still there later.</summary>
    private static CancellationTokenRegistration WhenClosed(SshServerProcess process, ChildProcess child) =>
        process.Closed.Register(() =>
        {
            if (child.Exited.IsCompleted)
            {
                return;
            }

            child.SignalGroup(Signals.Hup);
            _ = child.Exited.WaitAsync(HangupGrace).ContinueWith(
                t => child.SignalGroup(Signals.Kill),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted,
                TaskScheduler.Default);
        });

    /// <summary>The current user's login shell from /etc/passwd (field 7), or $SHELL.</summary>
    private static string? LoginShell()
    {
        try
        {
            string user = Environment.UserName;
            foreach (string line in File.ReadLines("/etc/passwd"))
            {
                string[] fields = line.Split(':');
                if (fields.Length >= 7 && fields[0] == user && fields[6].Length > 0)
                {
                    return fields[6];
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return Environment.GetEnvironmentVariable("SHELL");
    }
}
