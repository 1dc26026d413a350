namespace Rx.Ssh;

/// <summary>A line of a known_hosts or authorized_keys file that was skipped because it is malformed.</summary>
/// <param name="Path">The file the line came from, or null when the text was parsed from a string.</param>
/// <param name="LineNumber">The 1-based line number.</param>
/// <param name="Message">Why the line was skipped.</param>
public sealed record TrustFileWarning(string? Path, int LineNumber, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Path ?? "<text>"}:{LineNumber}: {Message}";
}
