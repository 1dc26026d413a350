using System.Text;

namespace Rx.Ssh.Config;

/// <summary>
/// Splits configuration text into directives as ssh_config(5) reads it: blank lines and lines
/// starting with <c>#</c> skipped, a keyword then its arguments separated by whitespace or one
/// optional <c>=</c> after the keyword, arguments in double quotes may hold spaces, and a
/// trailing <c>#</c> after whitespace starts a comment.
/// </summary>
internal static class ConfigLexer
{
    /// <summary>The longest line accepted; ssh's own buffer is 4 KiB, a longer line is an error, not truncated.</summary>
    public const int MaxLineLength = 16 * 1024;

    /// <summary>Every directive of <paramref name="text"/>, in order.</summary>
    /// <exception cref="SshConfigException">A line is malformed.</exception>
    public static List<ConfigLine> Lex(string text, string fileName)
    {
        var lines = new List<ConfigLine>();
        int number = 0;
        foreach (ReadOnlySpan<char> raw in text.AsSpan().EnumerateLines())
        {
            number++;
            if (raw.Length > MaxLineLength)
            {
                throw new SshConfigException(fileName, number, $"line longer than {MaxLineLength} characters");
            }

            ConfigLine? line = LexLine(raw, fileName, number);
            if (line is not null)
            {
                lines.Add(line);
            }
        }

        return lines;
    }

    private static ConfigLine? LexLine(ReadOnlySpan<char> raw, string fileName, int number)
    {
        ReadOnlySpan<char> line = raw.Trim();
        if (line.IsEmpty || line[0] == '#')
        {
            return null;
        }

        int end = 0;
        while (end < line.Length && !char.IsWhiteSpace(line[end]) && line[end] != '=')
        {
            end++;
        }

        string keyword = line[..end].ToString().ToLowerInvariant();
        if (keyword.Length == 0)
        {
            throw new SshConfigException(fileName, number, "missing keyword");
        }

        ReadOnlySpan<char> rest = line[end..].TrimStart();
        if (!rest.IsEmpty && rest[0] == '=')
        {
            rest = rest[1..].TrimStart();
        }

        return new ConfigLine(keyword, SplitArguments(rest, fileName, number), fileName, number);
    }

    private static List<string> SplitArguments(ReadOnlySpan<char> rest, string fileName, int number)
    {
        var arguments = new List<string>();
        var current = new StringBuilder();
        int i = 0;
        while (i < rest.Length)
        {
            while (i < rest.Length && char.IsWhiteSpace(rest[i]))
            {
                i++;
            }

            if (i == rest.Length || rest[i] == '#')
            {
                break;
            }

            current.Clear();
            bool quoted = false;
            while (i < rest.Length && (quoted || !char.IsWhiteSpace(rest[i])))
            {
                char c = rest[i++];
                if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (c == '\\' && quoted && i < rest.Length && (rest[i] == '"' || rest[i] == '\\'))
                {
                    current.Append(rest[i++]);
                }
                else
                {
                    current.Append(c);
                }
            }

            if (quoted)
            {
                throw new SshConfigException(fileName, number, "unterminated quote");
            }

            arguments.Add(current.ToString());
        }

        return arguments;
    }
}
