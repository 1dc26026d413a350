using System.Globalization;

namespace Rx.Ssh.Sftp.Scp.Protocol;

/// <summary>What an rcp control line announces.</summary>
internal enum ScpLineKind
{
    /// <summary><c>C</c>: a file follows.</summary>
    File,

    /// <summary><c>D</c>: a directory is entered.</summary>
    Directory,

    /// <summary><c>E</c>: the current directory ends.</summary>
    EndDirectory,

    /// <summary><c>T</c>: times for the next file or directory.</summary>
    Times,
}

/// <summary>
/// One parsed rcp control line: <c>C0644 SIZE NAME</c>, <c>D0755 0 NAME</c>, <c>E</c>,
/// <c>T MTIME 0 ATIME 0</c>. Parsing is strict: a four-digit octal mode, a decimal size without
/// sign, a name that is one path component (no <c>/</c>, not <c>.</c> or <c>..</c>, no NUL).
/// </summary>
internal sealed record ScpControlLine(ScpLineKind Kind, uint Mode = 0, long Size = 0, string Name = "", long ModifyTime = 0, long AccessTime = 0)
{
    /// <summary>Parses a line (its newline already removed).</summary>
    /// <exception cref="ScpProtocolException">The line is malformed, with the reason.</exception>
    public static ScpControlLine Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length == 0)
        {
            throw new ScpProtocolException("empty control line");
        }

        switch (line[0])
        {
            case 'E':
                return line.Length == 1 ? new ScpControlLine(ScpLineKind.EndDirectory) : throw new ScpProtocolException("malformed E line");
            case 'T':
                return ParseTimes(line);
            case 'C':
            case 'D':
                return ParseEntry(line);
            default:
                throw new ScpProtocolException($"expected control record, got '{Printable(line)}'");
        }
    }

    /// <summary>Checks that <paramref name="name"/> is one path component.</summary>
    /// <exception cref="ScpProtocolException">It is not.</exception>
    public static string CheckName(string name)
    {
        if (name.Length == 0 || name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ScpProtocolException($"unexpected filename: {Printable(name)}");
        }

        return name;
    }

    /// <summary>The line to send for this record, newline included.</summary>
    public string Format() => Kind switch
    {
        ScpLineKind.File => string.Create(CultureInfo.InvariantCulture, $"C{Convert.ToString(Mode & 0xFFF, 8).PadLeft(4, '0')} {Size} {Name}\n"),
        ScpLineKind.Directory => string.Create(CultureInfo.InvariantCulture, $"D{Convert.ToString(Mode & 0xFFF, 8).PadLeft(4, '0')} 0 {Name}\n"),
        ScpLineKind.EndDirectory => "E\n",
        _ => string.Create(CultureInfo.InvariantCulture, $"T{ModifyTime} 0 {AccessTime} 0\n"),
    };

    /// <summary>A line shortened and with control characters replaced, for an error message.</summary>
    public static string Printable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string shortened = text.Length > 80 ? text[..80] + "..." : text;
        return string.Concat(shortened.Select(c => char.IsControl(c) ? '?' : c));
    }

    private static ScpControlLine ParseEntry(string line)
    {
        // C or D, four octal digits, a space, decimal digits, a space, the name (may hold spaces).
        if (line.Length < 6 || line[5] != ' ')
        {
            throw new ScpProtocolException("bad mode");
        }

        uint mode = 0;
        for (int i = 1; i < 5; i++)
        {
            if (line[i] is < '0' or > '7')
            {
                throw new ScpProtocolException("bad mode");
            }

            mode = (mode << 3) | (uint)(line[i] - '0');
        }

        int sizeEnd = line.IndexOf(' ', 6);
        if (sizeEnd < 0)
        {
            throw new ScpProtocolException("size not delimited");
        }

        long size = ParseNumber(line.AsSpan(6, sizeEnd - 6), "size");
        string name = CheckName(line[(sizeEnd + 1)..]);
        return line[0] == 'C'
            ? new ScpControlLine(ScpLineKind.File, mode, size, name)
            : new ScpControlLine(ScpLineKind.Directory, mode, 0, name);
    }

    private static ScpControlLine ParseTimes(string line)
    {
        string[] parts = line[1..].Split(' ');
        if (parts.Length != 4)
        {
            throw new ScpProtocolException("malformed T line");
        }

        long mtime = ParseNumber(parts[0], "mtime");
        long mtimeMicros = ParseNumber(parts[1], "mtime.usec");
        long atime = ParseNumber(parts[2], "atime");
        long atimeMicros = ParseNumber(parts[3], "atime.usec");
        if (mtimeMicros > 999_999 || atimeMicros > 999_999 || mtime > 253_402_300_799 || atime > 253_402_300_799)
        {
            throw new ScpProtocolException("time out of range in T line");
        }

        return new ScpControlLine(ScpLineKind.Times, ModifyTime: mtime, AccessTime: atime);
    }

    // Decimal digits only (no sign, no spaces), at most 18 of them so it fits a long.
    private static long ParseNumber(ReadOnlySpan<char> text, string what)
    {
        if (text.Length is 0 or > 18)
        {
            throw new ScpProtocolException($"bad {what}");
        }

        long value = 0;
        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                throw new ScpProtocolException($"bad {what}");
            }

            value = (value * 10) + (c - '0');
        }

        return value;
    }
}
