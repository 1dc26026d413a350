using System.Diagnostics;
using System.Text;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// Runs a child process to completion with stdin fed from a stream, stdout and stderr captured,
/// and a deadline after which the process (and only it, by its PID) is killed.
/// </summary>
public static class ProcessRunner
{
    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/> (passed as an argument list, no shell).</summary>
    /// <param name="fileName">Executable path or name on PATH.</param>
    /// <param name="arguments">Arguments, each passed verbatim.</param>
    /// <param name="stdin">Bytes fed to stdin, which is then closed; null closes stdin at once.</param>
    /// <param name="stdoutSink">Where stdout goes; null captures it into <see cref="ProcessResult.Stdout"/>.</param>
    /// <param name="timeout">Deadline for the whole run; <see cref="TestTimeout.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the run (the process is killed).</param>
    /// <exception cref="TimeoutException">The process did not finish in time; the message holds its output so far.</exception>
    public static Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        Stream? stdin = null,
        Stream? stdoutSink = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(CreateStartInfo(fileName, arguments), stdin, stdoutSink, timeout, cancellationToken);

    /// <summary>A start info for <paramref name="fileName"/> with all three standard streams redirected and no shell.</summary>
    /// <param name="fileName">Executable path or name on PATH.</param>
    /// <param name="arguments">Arguments, each passed verbatim.</param>
    /// <param name="environment">Variables to set (a null value removes the variable) on top of this process's environment.</param>
    public static ProcessStartInfo CreateStartInfo(
        string fileName,
        IEnumerable<string> arguments,
        IEnumerable<KeyValuePair<string, string?>>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach ((string name, string? value) in environment ?? [])
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        return startInfo;
    }

    /// <summary>Runs the process <paramref name="startInfo"/> describes (it must redirect stdin, stdout and stderr).</summary>
    /// <param name="startInfo">What to run, e.g. from <see cref="CreateStartInfo"/>.</param>
    /// <param name="stdin">Read to its end into the process's stdin, which is then closed; null closes stdin at once.</param>
    /// <param name="stdoutSink">Where stdout goes; null captures it into <see cref="ProcessResult.Stdout"/>.</param>
    /// <param name="timeout">Deadline for the whole run; <see cref="TestTimeout.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the run (the process is killed).</param>
    /// <exception cref="TimeoutException">The process did not finish in time (it was killed by its PID); the message holds its stderr so far.</exception>
    public static async Task<ProcessResult> RunAsync(
        ProcessStartInfo startInfo,
        Stream? stdin,
        Stream? stdoutSink,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(startInfo);
        string fileName = startInfo.FileName;
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {fileName}.");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? TestTimeout.Default);

        using var captured = new MemoryStream();
        Stream stdoutTarget = stdoutSink ?? captured;
        Task stdoutTask = process.StandardOutput.BaseStream.CopyToAsync(stdoutTarget, CancellationToken.None);
        Task<string> stderrTask = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var feeding = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        Task stdinTask = FeedStdinAsync(process, stdin, feeding.Token);

        try
        {
            await process.WaitForExitAsync(deadline.Token);

            // Input the process did not take before exiting is of no use to anyone.
            await feeding.CancelAsync();
            await Task.WhenAll(stdoutTask, stderrTask, stdinTask).WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            KillQuietly(process);
            string partialErr = stderrTask.IsCompletedSuccessfully ? stderrTask.Result : "(stderr still open)";
            throw new TimeoutException(
                $"{fileName} {string.Join(' ', startInfo.ArgumentList)} did not finish within {timeout ?? TestTimeout.Default}." +
                $"{Environment.NewLine}--- stderr ---{Environment.NewLine}{partialErr}");
        }
        catch
        {
            KillQuietly(process);
            throw;
        }

        stopwatch.Stop();
        return new ProcessResult(process.ExitCode, captured.ToArray(), await stderrTask, stopwatch.Elapsed);
    }

    /// <summary>As <see cref="RunAsync(string, IEnumerable{string}, Stream?, Stream?, TimeSpan?, CancellationToken)"/> with stdin from a byte array.</summary>
    /// <param name="fileName">Executable path or name on PATH.</param>
    /// <param name="arguments">Arguments, each passed verbatim.</param>
    /// <param name="stdin">Bytes fed to stdin, which is then closed.</param>
    /// <param name="timeout">Deadline for the whole run; <see cref="TestTimeout.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the run (the process is killed).</param>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        byte[] stdin,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        using var input = new MemoryStream(stdin, writable: false);
        return await RunAsync(fileName, arguments, input, null, timeout, cancellationToken);
    }

    private static async Task FeedStdinAsync(Process process, Stream? stdin, CancellationToken cancellationToken)
    {
        Stream target = process.StandardInput.BaseStream;
        try
        {
            if (stdin is not null)
            {
                await stdin.CopyToAsync(target, cancellationToken);
            }
        }
        catch (IOException)
        {
            // The process exited (or closed stdin) before taking everything; its exit code tells the story.
        }
        catch (OperationCanceledException)
        {
            // Same, noticed through the process's exit.
        }
        finally
        {
            try
            {
                await target.DisposeAsync();
            }
            catch (IOException)
            {
                // Broken pipe on the final flush: same as above.
            }
        }
    }

    /// <summary>Kills <paramref name="process"/> (by its own PID, with its descendants) if it still runs.</summary>
    /// <param name="process">A process this test run started.</param>
    internal static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Already gone or not ours to kill.
        }
    }
}
