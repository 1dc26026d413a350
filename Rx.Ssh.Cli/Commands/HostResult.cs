namespace Rx.Ssh.Cli.Commands;

/// <summary>How one host's run ended: an exit (status or signal) or an error before it.</summary>
/// <param name="Label">The host as given.</param>
/// <param name="Exit">The process's exit, when the server reported one.</param>
/// <param name="Error">Why it failed before an exit, if it did.</param>
/// <param name="Elapsed">Connect to close.</param>
internal sealed record HostResult(string Label, SshProcessExit? Exit, string? Error, TimeSpan Elapsed)
{
    /// <summary>Exit status 0 and no error.</summary>
    public bool Succeeded => Error is null && Exit is { Succeeded: true };

    /// <summary>The summary table's status cell.</summary>
    public string Status => Error is not null ? "error: " + Error
        : Exit is null ? "no exit status"
        : Exit.ExitSignal is { } signal ? $"signal {signal}"
        : $"exit {Exit.ExitCode}";
}
