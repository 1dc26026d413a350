namespace Rx.Ssh;

/// <summary>How a remote process ended.</summary>
/// <param name="ExitStatus">The exit status, when the server sent one.</param>
/// <param name="ExitSignal">The signal that killed the process (name without <c>SIG</c>), when the server sent one.</param>
/// <param name="CoreDumped">Whether the signal produced a core dump.</param>
/// <param name="Message">The server's error message for an exit signal (may be empty).</param>
public sealed record SshProcessExit(int? ExitStatus, string? ExitSignal = null, bool CoreDumped = false, string Message = "")
{
    /// <summary>True when the process exited with status 0.</summary>
    public bool Succeeded => ExitStatus == 0 && ExitSignal is null;
}
