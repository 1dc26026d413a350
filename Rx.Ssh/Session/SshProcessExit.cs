namespace Rx.Ssh;

/// <summary>
/// How a process ended, on either role: what a client reads from the server's exit-status or
/// exit-signal (<see cref="SshClientProcess.WaitForExitAsync"/>, <see cref="SshCompletedProcess.Exit"/>,
/// <see cref="SshExitReceived"/>) and what a server process reports with
/// <see cref="SshServerProcess.ExitAsync(SshProcessExit, CancellationToken)"/>.
/// </summary>
/// <param name="ExitStatus">The exit status, when the process exited normally (the server sent exit-status).</param>
/// <param name="ExitSignal">The signal that killed the process (name without <c>SIG</c>, e.g. <c>KILL</c>), when it was killed (exit-signal).</param>
/// <param name="CoreDumped">Whether the signal produced a core dump.</param>
/// <param name="Message">The error message sent with an exit signal (may be empty).</param>
public sealed record SshProcessExit(int? ExitStatus, string? ExitSignal = null, bool CoreDumped = false, string Message = "")
{
    /// <summary>True when the process exited with status 0.</summary>
    public bool Succeeded => ExitStatus == 0 && ExitSignal is null;

    /// <summary>
    /// The exit status as a number, like <see cref="System.Diagnostics.Process.ExitCode"/>:
    /// <see cref="ExitStatus"/>, or -1 when there was none (killed by a signal, or not reported).
    /// </summary>
    public int ExitCode => ExitStatus ?? -1;
}
