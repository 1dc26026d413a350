using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Client.Jump;

/// <summary>
/// A ProxyCommand process as the connection's stream: reads come from its stdout, writes go to its
/// stdin; its stderr is logged line by line and its last lines kept for the error. Its stdout
/// closing (the process ending) fails the read with <see cref="SshProxyCommandException"/>, with the
/// exit code once it is known. Disposing closes stdin and kills the process by its id.
/// </summary>
internal sealed class ProxyCommandStream : IO.ForwardStream
{
    /// <summary>How long to wait, after stdout closed, for the exit code and the end of stderr.</summary>
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly string _command;
    private readonly Stream _stdout;
    private readonly Stream _stdin;
    private readonly StderrTail _tail = new();
    private readonly Task _stderrPump;
    private int _disposed;

    private ProxyCommandStream(Process process, string command, ILogger logger)
    {
        _process = process;
        _command = command;
        _stdout = process.StandardOutput.BaseStream;
        _stdin = process.StandardInput.BaseStream;
        _stderrPump = Task.Run(() => PumpStderrAsync(process.StandardError.BaseStream, _tail, logger));
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    /// <summary>Runs <c>/bin/sh -c "exec command"</c> with its stdin, stdout and stderr redirected.</summary>
    /// <exception cref="SshProxyCommandException">The process could not be started.</exception>
    public static ProxyCommandStream Start(string command, ILogger logger)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec " + command);
        var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or PlatformNotSupportedException)
        {
            process.Dispose();
            throw new SshProxyCommandException(command, null, string.Empty, ex);
        }

        logger.LogDebug(SshLogEvents.Client.ProxyCommandStarted, "Started ProxyCommand {Command} as process {Pid}", command, process.Id);
        return new ProxyCommandStream(process, command, logger);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await _stdout.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException) when (Volatile.Read(ref _disposed) == 0)
        {
            throw await EndedAsync().ConfigureAwait(false);
        }

        if (read == 0 && buffer.Length > 0 && Volatile.Read(ref _disposed) == 0)
        {
            throw await EndedAsync().ConfigureAwait(false);
        }

        return read;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            await _stdin.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            await _stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException) when (Volatile.Read(ref _disposed) == 0)
        {
            throw await EndedAsync().ConfigureAwait(false);
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => _stdin.FlushAsync(cancellationToken);

    public override void Flush() => _stdin.Flush();

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Kill();
            try
            {
                await _process.WaitForExitAsync().WaitAsync(ExitWait).ConfigureAwait(false);
                await _stderrPump.WaitAsync(ExitWait).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Bounded: a process that ignores SIGKILL (stuck in the kernel) is not waited for.
            }

            _process.Dispose();
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Kill();
            _process.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Kill()
    {
        try
        {
            _stdin.Dispose();
        }
        catch (IOException)
        {
            // Already gone.
        }

        try
        {
            _process.Kill();
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Exited meanwhile.
        }

        _stdout.Dispose();
    }

    /// <summary>The error for a process whose output ended: waits (bounded) for its exit code and last stderr.</summary>
    private async Task<SshProxyCommandException> EndedAsync()
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(ExitWait).ConfigureAwait(false);
            await _stderrPump.WaitAsync(ExitWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Still running (it closed stdout on purpose) or stderr held open by a child: report what is known.
        }

        int? code = _process.HasExited ? _process.ExitCode : null;
        return new SshProxyCommandException(_command, code, _tail.Text);
    }

    private static async Task PumpStderrAsync(Stream stderr, StderrTail tail, ILogger logger)
    {
        byte[] buffer = new byte[4096];
        char[] chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        Decoder decoder = Encoding.UTF8.GetDecoder();
        var line = new StringBuilder();
        void Emit()
        {
            string text = PeerText.Sanitize(line.ToString().TrimEnd('\r'), StderrTail.MaxLine);
            line.Clear();
            logger.LogInformation(SshLogEvents.Client.ProxyCommandStderr, "ProxyCommand: {Line}", text);
            tail.Add(text);
        }

        try
        {
            while (true)
            {
                int n = await stderr.ReadAsync(buffer).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                int count = decoder.GetChars(buffer, 0, n, chars, 0);
                for (int i = 0; i < count; i++)
                {
                    if (chars[i] == '\n')
                    {
                        Emit();
                    }
                    else if (line.Length < StderrTail.MaxLine)
                    {
                        line.Append(chars[i]);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The process is gone.
        }

        if (line.Length > 0)
        {
            Emit();
        }
    }

    /// <summary>The last lines of stderr, at most <see cref="MaxChars"/> characters.</summary>
    private sealed class StderrTail
    {
        public const int MaxLine = 1024;
        private const int MaxChars = 4096;
        private readonly Queue<string> _lines = new();
        private int _chars;

        public string Text
        {
            get
            {
                lock (_lines)
                {
                    return string.Join('\n', _lines);
                }
            }
        }

        public void Add(string line)
        {
            lock (_lines)
            {
                _lines.Enqueue(line);
                _chars += line.Length + 1;
                while (_chars > MaxChars && _lines.Count > 1)
                {
                    _chars -= _lines.Dequeue().Length + 1;
                }
            }
        }
    }
}
