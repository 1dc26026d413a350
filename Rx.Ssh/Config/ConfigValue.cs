namespace Rx.Ssh.Config;

/// <summary>One value a directive gave a keyword: its arguments and the line, for errors.</summary>
/// <param name="Arguments">The directive's arguments.</param>
/// <param name="Line">Where it was.</param>
internal sealed record ConfigValue(IReadOnlyList<string> Arguments, ConfigLine Line)
{
    /// <summary>The first argument.</summary>
    public string First => Arguments[0];
}
