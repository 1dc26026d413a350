using System.Diagnostics;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// A server process a test started (sshd, dropbear): its stdin closed, its stderr read line by line
/// into a <see cref="SshdLog"/>, its stdout drained; <see cref="StopAsync"/> stops it and its
/// children by PID and waits for both pumps, never hanging a test run on a stuck child.
/// </summary>
public sealed class LoggedDaemon
{
    private readonly Task _stderrPump;
    private readonly Task _stdoutDrain;

    private LoggedDaemon(Process process, SshdLog log)
    {
        Process = process;
        process.StandardInput.Close();
        _stderrPump = PumpAsync(process.StandardError, log);
        _stdoutDrain = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
    }

    /// <summary>The running process.</summary>
    public Process Process { get; }

    /// <summary>Starts <paramref name="start"/> (which must redirect all three streams) with its stderr going to <paramref name="log"/>.</summary>
    public static LoggedDaemon Start(ProcessStartInfo start, SshdLog log) =>
        new(Process.Start(start) ?? throw new InvalidOperationException("Could not start " + start.FileName), log);

    /// <summary>Stops the process tree and waits (bounded) for its output pumps; disposes the process.</summary>
    public async Task StopAsync()
    {
        try
        {
            await ProcessTree.StopAsync(Process, TestTimeout.Default);
            await Task.WhenAll(_stderrPump, _stdoutDrain).WaitAsync(TestTimeout.Default);
        }
        catch (TimeoutException)
        {
            // Do not hang a test run on a stuck child; the log says what happened.
        }
        catch (IOException)
        {
            // Pipes broken by the kill.
        }
        finally
        {
            Process.Dispose();
        }
    }

    private static async Task PumpAsync(StreamReader stderr, SshdLog log)
    {
        try
        {
            while (await stderr.ReadLineAsync() is { } line)
            {
                log.Add(line);
            }
        }
        catch (IOException)
        {
            // The pipe broke as the process died: the log simply ends.
        }
        catch (ObjectDisposedException)
        {
            // Same, after the Process was disposed.
        }
        finally
        {
            log.Close();
        }
    }
}
