using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// A child process (typically <c>ssh -tt ...</c>, see <see cref="OpenSshClient.StartPty"/>) running
/// on a real pseudo-terminal that the test owns: the test types bytes into it, awaits text in
/// what it prints, and resizes it.
/// <para>
/// How it works (Linux):
/// <list type="number">
/// <item>The pty is made here with libc (<see cref="PtyNative"/>): <c>posix_openpt(O_RDWR|O_NOCTTY|O_CLOEXEC)</c>
/// gives the master, <c>grantpt</c>/<c>unlockpt</c>/<c>ptsname_r</c> the slave's path (<c>/dev/pts/N</c>),
/// and <c>ioctl(master, TIOCSWINSZ)</c> sets the initial window size before the child exists.</item>
/// <item>.NET's <see cref="Process"/> cannot hand a child an arbitrary descriptor, let alone make it the
/// child's controlling terminal, so the child is started through <c>/bin/sh -c 'exec setsid -c -w "$@" &lt;&gt;"$tty" &gt;&amp;0 2&gt;&amp;0'</c>:
/// the shell opens the slave as fds 0, 1 and 2 and execs util-linux's <c>setsid</c>, which starts a new
/// session (so the child leaves the test runner's terminal, if any) and with <c>-c</c> makes its stdin,
/// the slave, the session's controlling terminal (<c>TIOCSCTTY</c>); it then execs the program. The
/// child's process group is thereby the terminal's foreground group. Each step is an exec in the same
/// process, so <see cref="ProcessId"/> is the program's own PID (if setsid had to fork, <c>-w</c> keeps it
/// waiting and passing the exit status on, and dispose still kills the whole tree).</item>
/// <item><c>TERM</c> is set in the child's environment; ssh reads it and the window size (<c>TIOCGWINSZ</c>
/// on its stdin) for the pty-req it sends, and puts the local terminal into raw mode, so bytes typed
/// here reach the remote side unchanged (line editing, echo and ^C handling happen remotely).</item>
/// <item><see cref="Resize"/> is <c>ioctl(master, TIOCSWINSZ)</c>; the kernel answers with SIGWINCH to the
/// terminal's foreground process group, and ssh sends a "window-change" request for it.</item>
/// <item>A background thread reads the master into <see cref="Output"/>. This class keeps its own
/// (<c>O_NOCTTY</c>) descriptor of the slave open until the child exits, so the master never reports a
/// hang-up before the child opened the slave; once the child exited and that descriptor is closed,
/// reading the master drains what is left and then fails with EIO, which ends the output.</item>
/// </list>
/// </para>
/// Awaiting output works expect-style: <see cref="WaitForOutputAsync"/> searches from a cursor and
/// moves it past the match, so a later wait cannot match the same text again. Remember that the
/// terminal echoes what is typed: wait for text that the echo cannot contain (e.g. the output of
/// <c>echo $((6*7))</c> is "42", which its echo is not).
/// </summary>
public sealed class PtySession : IAsyncDisposable
{
    private const string Helper =
        "tty=$1; shift; exec /usr/bin/setsid -c -w \"$@\" <>\"$tty\" >&0 2>&0";

    private readonly object _gate = new();
    private readonly StringBuilder _output = new();
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly Process _process;
    private readonly Thread _reader;
    private readonly Task<string> _helperStderr;
    private readonly TaskCompletionSource _outputEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _outputChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _master;
    private int _slave;
    private int _cursor;
    private volatile bool _stopReading;
    private int _disposed;

    private PtySession(int master, int slave, string terminalPath, string term, TerminalSize size, ProcessStartInfo startInfo)
    {
        _master = master;
        _slave = slave;
        TerminalPath = terminalPath;
        Term = term;
        Size = size;
        _process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start " + startInfo.FileName);
        _process.StandardInput.Close();
        _helperStderr = _process.StandardError.ReadToEndAsync();
        _ = _process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "PtySession reader " + terminalPath };
        _reader.Start();
        _ = CloseSlaveOnExitAsync();
    }

    /// <summary>The child's process id (the program's own, see the class remarks).</summary>
    public int ProcessId => _process.Id;

    /// <summary>The slave side's path (<c>/dev/pts/N</c>): the child's controlling terminal.</summary>
    public string TerminalPath { get; }

    /// <summary>The <c>TERM</c> the child was started with.</summary>
    public string Term { get; }

    /// <summary>The current window size.</summary>
    public TerminalSize Size { get; private set; }

    /// <summary>Whether the child has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Everything the child printed so far (decoded as UTF-8, control characters included).</summary>
    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/> on a new pty of
    /// <paramref name="size"/>, with <c>TERM=<paramref name="term"/></c>.
    /// </summary>
    /// <param name="fileName">The program (path or name on PATH).</param>
    /// <param name="arguments">Its arguments, each passed verbatim.</param>
    /// <param name="term">The terminal type put in the child's environment.</param>
    /// <param name="size">The initial window size.</param>
    /// <param name="environment">More variables for the child (a null value removes one).</param>
    /// <exception cref="PlatformNotSupportedException">Not Linux.</exception>
    public static PtySession Start(
        string fileName,
        IEnumerable<string> arguments,
        string term,
        TerminalSize size,
        IEnumerable<KeyValuePair<string, string?>>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("PtySession uses Linux pseudo-terminals.");
        }

        int master = PtyNative.ThrowOnError(
            PtyNative.OpenPtyMaster(PtyNative.ReadWrite | PtyNative.NoControllingTty | PtyNative.CloseOnExec), "posix_openpt");
        int slave = -1;
        try
        {
            PtyNative.ThrowOnError(PtyNative.GrantPty(master), "grantpt");
            PtyNative.ThrowOnError(PtyNative.UnlockPty(master), "unlockpt");
            string path = SlaveName(master);
            PtyNative.ThrowOnError(PtyNative.SetSize(master, size), "ioctl(TIOCSWINSZ)");
            slave = PtyNative.ThrowOnError(
                PtyNative.Open(path, PtyNative.ReadWrite | PtyNative.NoControllingTty | PtyNative.CloseOnExec), "open " + path);

            ProcessStartInfo startInfo = ProcessRunner.CreateStartInfo(
                "/bin/sh",
                ["-c", Helper, "rxssh-pty", path, fileName, .. arguments],
                [.. environment ?? [], new("TERM", term), new("LINES", null), new("COLUMNS", null)]);
            return new PtySession(master, slave, path, term, size, startInfo);
        }
        catch
        {
            if (slave >= 0)
            {
                _ = PtyNative.Close(slave);
            }

            _ = PtyNative.Close(master);
            throw;
        }
    }

    /// <summary>Types <paramref name="text"/> (UTF-8; <c>"\r"</c> is Enter, <c>"\x7f"</c> Backspace, <c>"\x03"</c> ^C, <c>"\x1b[A"</c> Up).</summary>
    /// <param name="text">The keys.</param>
    public void Write(string text) => Write(Encoding.UTF8.GetBytes(text));

    /// <summary>Types <paramref name="bytes"/> into the terminal (blocks only if the child stops reading and the pty buffer fills).</summary>
    /// <param name="bytes">The raw bytes, escape sequences included.</param>
    public unsafe void Write(ReadOnlySpan<byte> bytes)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        fixed (byte* start = bytes)
        {
            int written = 0;
            while (written < bytes.Length)
            {
                nint result = PtyNative.Write(_master, start + written, (nuint)(bytes.Length - written));
                if (result < 0 && Marshal.GetLastPInvokeError() == PtyNative.Interrupted)
                {
                    continue;
                }

                written += (int)PtyNative.ThrowOnError((int)Math.Min(result, int.MaxValue), "write to the pty");
            }
        }
    }

    /// <summary>
    /// Changes the window size (<c>TIOCSWINSZ</c>); the kernel sends SIGWINCH to the child, and ssh
    /// forwards it as a "window-change" request.
    /// </summary>
    /// <param name="size">The new size.</param>
    public void Resize(TerminalSize size)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        PtyNative.ThrowOnError(PtyNative.SetSize(_master, size), "ioctl(TIOCSWINSZ)");
        Size = size;
    }

    /// <summary>
    /// Waits until the output after the cursor contains <paramref name="text"/>, moves the cursor
    /// past it, and returns the output from the old cursor to the end of the match.
    /// </summary>
    /// <param name="text">The text to wait for.</param>
    /// <param name="timeout">Deadline; <see cref="TestTimeout.Default"/> when null.</param>
    /// <exception cref="TimeoutException">The text did not appear in time, or the output ended without it; the message shows the output.</exception>
    public async Task<string> WaitForOutputAsync(string text, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        TimeSpan limit = timeout ?? TestTimeout.Default;
        using var deadline = new CancellationTokenSource(limit);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                string all = _output.ToString();
                int found = all.IndexOf(text, _cursor, StringComparison.Ordinal);
                if (found >= 0)
                {
                    int end = found + text.Length;
                    string consumed = all[_cursor..end];
                    _cursor = end;
                    return consumed;
                }

                if (_outputEnded.Task.IsCompleted)
                {
                    throw new TimeoutException($"The output ended without \"{Escape(text)}\". {Describe(all)}");
                }

                changed = _outputChanged.Task;
            }

            try
            {
                await Task.WhenAny(changed, _outputEnded.Task).WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"\"{Escape(text)}\" did not appear within {limit}. {Describe(Output)}");
            }
        }
    }

    /// <summary>Waits for the child to exit and for its last output, and returns its exit code.</summary>
    /// <param name="timeout">Deadline; <see cref="TestTimeout.Default"/> when null.</param>
    /// <exception cref="TimeoutException">It did not exit in time (it keeps running until disposed).</exception>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        TimeSpan limit = timeout ?? TestTimeout.Default;
        try
        {
            await _process.WaitForExitAsync().WaitAsync(limit);
            await _outputEnded.Task.WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The pty child did not exit within {limit}. {Describe(Output)}");
        }

        return _process.ExitCode;
    }

    /// <summary>Kills the child (by PID, with anything it started) if it still runs, and releases the pty.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                await ProcessTree.StopAsync(_process, TestTimeout.Default);
            }
        }
        catch (TimeoutException)
        {
            // Do not hang a test run on a stuck child.
        }

        CloseSlave();
        try
        {
            await _outputEnded.Task.WaitAsync(TestTimeout.Default);
        }
        catch (TimeoutException)
        {
            // Someone else still holds the slave open: stop reading regardless.
        }

        _stopReading = true;
        _reader.Join(TestTimeout.Default);
        _ = PtyNative.Close(_master);
        _process.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"pty {TerminalPath} ({Term}, {Size}) pid {_process.Id}";

    private static unsafe string SlaveName(int master)
    {
        byte* buffer = stackalloc byte[128];
        int result = PtyNative.PtySlaveName(master, buffer, 128);
        if (result != 0)
        {
            throw new IOException($"ptsname_r failed: {Marshal.GetPInvokeErrorMessage(result)} (errno {result}).");
        }

        return Marshal.PtrToStringUTF8((nint)buffer) ?? throw new IOException("ptsname_r gave no name.");
    }

    private async Task CloseSlaveOnExitAsync()
    {
        await _process.WaitForExitAsync();
        CloseSlave();
    }

    private void CloseSlave()
    {
        int slave = Interlocked.Exchange(ref _slave, -1);
        if (slave >= 0)
        {
            _ = PtyNative.Close(slave);
        }
    }

    private unsafe void ReadLoop()
    {
        byte[] buffer = new byte[16 * 1024];
        try
        {
            while (!_stopReading)
            {
                // poll with a timeout so that dispose can stop the thread even if the slave stays open elsewhere.
                var descriptor = new PtyNative.PollDescriptor { Descriptor = _master, Events = PtyNative.PollIn };
                int ready = PtyNative.Poll(&descriptor, 1, 200);
                if (ready < 0 && Marshal.GetLastPInvokeError() == PtyNative.Interrupted)
                {
                    continue;
                }

                if (ready <= 0)
                {
                    continue;
                }

                nint count;
                fixed (byte* start = buffer)
                {
                    count = PtyNative.Read(_master, start, (nuint)buffer.Length);
                }

                if (count < 0 && Marshal.GetLastPInvokeError() == PtyNative.Interrupted)
                {
                    continue;
                }

                if (count <= 0)
                {
                    return; // EIO (no slave open any more) or EOF: the output has ended.
                }

                Append(buffer.AsSpan(0, (int)count));
            }
        }
        finally
        {
            lock (_gate)
            {
                _outputEnded.TrySetResult();
            }
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            char[] chars = new char[_decoder.GetCharCount(bytes, flush: false)];
            int decoded = _decoder.GetChars(bytes, chars, flush: false);
            _output.Append(chars, 0, decoded);
            changed = _outputChanged;
            _outputChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    private string Describe(string output)
    {
        string helper = _helperStderr.IsCompletedSuccessfully && _helperStderr.Result.Length > 0
            ? $"{Environment.NewLine}--- helper stderr ---{Environment.NewLine}{_helperStderr.Result}"
            : string.Empty;
        return $"{this}, exited: {_process.HasExited}{Environment.NewLine}--- output (escaped) ---{Environment.NewLine}{Escape(output)}{helper}";
    }

    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            _ = c switch
            {
                '\n' => escaped.Append("\\n\n"),
                '\r' => escaped.Append("\\r"),
                '\t' => escaped.Append("\\t"),
                < ' ' or '\x7f' => escaped.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }
}
