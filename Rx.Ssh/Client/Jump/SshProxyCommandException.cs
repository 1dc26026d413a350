using System.Globalization;

namespace Rx.Ssh;

/// <summary>
/// The <see cref="SshClientOptions.ProxyCommand"/> process could not be started, or it ended while
/// the connection still needed it (its output closed): <see cref="ExitCode"/> and the last lines it
/// wrote to stderr (<see cref="StandardErrorTail"/>) say why. Raised by connecting, and as the
/// connection's <see cref="SshConnection.Completion"/> error when the process dies later. The reason
/// is <see cref="DisconnectReason.ConnectionLost"/>.
/// </summary>
public sealed class SshProxyCommandException : SshConnectionException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="command">The command line as run (tokens expanded).</param>
    /// <param name="exitCode">The process's exit code; null when it did not start or had not exited.</param>
    /// <param name="standardErrorTail">The last lines of its stderr (bounded), possibly empty.</param>
    /// <param name="innerException">Why it could not start, when that is the case.</param>
    public SshProxyCommandException(string command, int? exitCode, string standardErrorTail, Exception? innerException = null)
        : base(DisconnectReason.ConnectionLost, Describe(command, exitCode, standardErrorTail, innerException), false, innerException)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(standardErrorTail);
        Command = command;
        ExitCode = exitCode;
        StandardErrorTail = standardErrorTail;
    }

    /// <summary>The command line as run (tokens expanded).</summary>
    public string Command { get; }

    /// <summary>The exit code; null when the process did not start or had not exited.</summary>
    public int? ExitCode { get; }

    /// <summary>The last lines the process wrote to stderr (at most a few KiB, sanitized), possibly empty.</summary>
    public string StandardErrorTail { get; }

    private static string Describe(string command, int? exitCode, string tail, Exception? inner)
    {
        string what = inner is not null
            ? $"ProxyCommand '{command}' could not be started: {inner.Message}"
            : exitCode is int code
                ? string.Create(CultureInfo.InvariantCulture, $"ProxyCommand '{command}' exited with code {code}")
                : $"ProxyCommand '{command}' closed its output";
        return tail.Length == 0 ? what + "." : what + ": " + tail.TrimEnd();
    }
}
