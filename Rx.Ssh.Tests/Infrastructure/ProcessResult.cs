using System.Text;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>What a finished child process left behind.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Stdout">Everything written to stdout (empty when a sink stream took it).</param>
/// <param name="Stderr">Everything written to stderr, decoded as UTF-8.</param>
/// <param name="Elapsed">Wall time from start to exit.</param>
public sealed record ProcessResult(int ExitCode, byte[] Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>Stdout decoded as UTF-8.</summary>
    public string StdoutText => Encoding.UTF8.GetString(Stdout);

    /// <summary>A readable summary for assertion messages.</summary>
    public override string ToString() =>
        $"exit code {ExitCode} after {Elapsed.TotalMilliseconds:F0} ms{Environment.NewLine}" +
        $"--- stdout ({Stdout.Length} bytes) ---{Environment.NewLine}{Truncate(StdoutText)}{Environment.NewLine}" +
        $"--- stderr ---{Environment.NewLine}{Stderr}";

    private static string Truncate(string text) => text.Length <= 4000 ? text : text[..4000] + "...";
}
