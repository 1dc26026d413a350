using System.Text;

namespace Rx.Ssh;

/// <summary>The result of running a remote command to completion.</summary>
public sealed record SshCompletedProcess
{
    /// <summary>The command that ran.</summary>
    public required string Command { get; init; }

    /// <summary>How the process ended (exit status, or signal with core-dump flag and message).</summary>
    public required SshProcessExit Exit { get; init; }

    /// <summary>The exit status, or null when the process ended by a signal or the server sent none (<see cref="Exit"/>'s).</summary>
    public int? ExitStatus => Exit.ExitStatus;

    /// <summary>The signal that ended the process, if any (e.g. <c>KILL</c>; <see cref="Exit"/>'s).</summary>
    public string? ExitSignal => Exit.ExitSignal;

    /// <summary>Standard output as bytes.</summary>
    public ReadOnlyMemory<byte> StdoutBytes { get; init; }

    /// <summary>Standard error as bytes.</summary>
    public ReadOnlyMemory<byte> StderrBytes { get; init; }

    /// <summary>Standard output decoded as UTF-8.</summary>
    public string Stdout => Encoding.UTF8.GetString(StdoutBytes.Span);

    /// <summary>Standard error decoded as UTF-8.</summary>
    public string Stderr => Encoding.UTF8.GetString(StderrBytes.Span);

    /// <summary>
    /// The exit status as a number, like <see cref="System.Diagnostics.Process.ExitCode"/>:
    /// <see cref="ExitStatus"/>, or -1 when there was none (killed by a signal, or not reported).
    /// </summary>
    public int ExitCode => Exit.ExitCode;
}

/// <summary>A checked command ended with a non-zero exit status or a signal. Carries everything the process produced.</summary>
public sealed class SshProcessException : SshChannelException
{
    /// <summary>Creates the exception from the completed process.</summary>
    public SshProcessException(SshCompletedProcess process)
        : base(Describe(process))
    {
        Process = process ?? throw new ArgumentNullException(nameof(process));
    }

    /// <summary>The completed process.</summary>
    public SshCompletedProcess Process { get; }

    /// <summary>The command.</summary>
    public string Command => Process.Command;

    /// <summary>The exit status, when there was one.</summary>
    public int? ExitStatus => Process.ExitStatus;

    /// <summary>The signal, when the process was killed by one.</summary>
    public string? ExitSignal => Process.ExitSignal;

    /// <summary>How the process ended.</summary>
    public SshProcessExit Exit => Process.Exit;

    /// <summary>Standard output.</summary>
    public string Stdout => Process.Stdout;

    /// <summary>Standard error.</summary>
    public string Stderr => Process.Stderr;

    private static string Describe(SshCompletedProcess p) => p.ExitSignal is not null
        ? $"Process '{p.Command}' was killed by signal {p.ExitSignal}."
        : $"Process '{p.Command}' exited with status {p.ExitStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}.";
}
