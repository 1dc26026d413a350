namespace Rx.Ssh.Samples.Serve;

/// <summary>Linux signal numbers and the names SSH uses for them (RFC 4254 section 6.10: no <c>SIG</c> prefix).</summary>
internal static class Signals
{
    public const int Hup = 1;
    public const int Kill = 9;

    private static readonly string[] Names =
    [
        "0", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM",
        "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
    ];

    /// <summary>The name of signal <paramref name="number"/> (e.g. 15 is <c>TERM</c>); unknown ones as <c>SIGn</c>.</summary>
    public static string NameOf(int number) => number > 0 && number < Names.Length ? Names[number] : $"SIG{number}";

    /// <summary>The number of a signal named by a client (with or without <c>SIG</c>), or null.</summary>
    public static int? NumberOf(string name)
    {
        string bare = name.StartsWith("SIG", StringComparison.Ordinal) ? name[3..] : name;
        int index = Array.IndexOf(Names, bare);
        return index > 0 ? index : null;
    }
}
