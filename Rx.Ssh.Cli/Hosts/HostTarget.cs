namespace Rx.Ssh.Cli.Hosts;

/// <summary>One host of a command line: <c>[user@]host[:port]</c>, or <c>[user@][v6]:port</c>.</summary>
/// <param name="Label">The text as given, used to prefix output and in the summary.</param>
/// <param name="Host">The host name or address passed to the library (its config may map it further).</param>
/// <param name="Port">The port, when given in the text.</param>
/// <param name="UserName">The user, when given in the text.</param>
internal sealed record HostTarget(string Label, string Host, int? Port, string? UserName)
{
    /// <summary>Parses one host.</summary>
    /// <exception cref="FormatException">Empty, or a port that is not 1-65535.</exception>
    public static HostTarget Parse(string text)
    {
        string label = text.Trim();
        string rest = label;
        string? user = null;
        int at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            user = rest[..at];
            rest = rest[(at + 1)..];
        }

        int? port = null;
        if (rest.StartsWith('['))
        {
            int close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException($"'{text}': unbalanced '['.");
            }

            string after = rest[(close + 1)..];
            rest = rest[1..close];
            if (after.Length > 0)
            {
                port = ParsePort(text, after.TrimStart(':'));
            }
        }
        else if (rest.Count(c => c == ':') == 1)
        {
            int colon = rest.IndexOf(':', StringComparison.Ordinal);
            port = ParsePort(text, rest[(colon + 1)..]);
            rest = rest[..colon];
        }

        if (rest.Length == 0 || user is { Length: 0 })
        {
            throw new FormatException($"'{text}': expected [user@]host[:port].");
        }

        return new HostTarget(label, rest, port, user);
    }

    private static int ParsePort(string text, string port) =>
        int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value) && value is > 0 and < 65536
            ? value
            : throw new FormatException($"'{text}': port '{port}' is not 1-65535.");
}
