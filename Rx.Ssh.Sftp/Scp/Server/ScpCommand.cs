using System.Text;
using Rx.Ssh.Sftp.Scp.Protocol;

namespace Rx.Ssh.Sftp.Scp.Server;

/// <summary>
/// A parsed <c>scp -t</c> / <c>scp -f</c> command line as OpenSSH's <c>scp</c> sends it
/// (<c>scp -v -r -p -d -t -- PATH</c>): the words split as a POSIX shell would (single and
/// double quotes, backslash escapes), each path remembering whether it was quoted (a quoted
/// path is not expanded as a wildcard).
/// </summary>
internal sealed record ScpCommand(bool Sink, bool Recursive, bool Preserve, bool TargetIsDirectory, bool Verbose, IReadOnlyList<ScpCommandPath> Paths)
{
    /// <summary>Whether <paramref name="command"/> is an scp server command (its first word is <c>scp</c>).</summary>
    public static bool IsScp(string? command) =>
        command is not null && (command == "scp" || command.StartsWith("scp ", StringComparison.Ordinal) || command.StartsWith("scp\t", StringComparison.Ordinal));

    /// <summary>Parses the command.</summary>
    /// <exception cref="ScpProtocolException">Not an scp server command, an unknown option, neither or both of -t and -f, no path, or bad quoting.</exception>
    public static ScpCommand Parse(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        List<ScpCommandPath> words = Split(command);
        if (words.Count == 0 || words[0].Path != "scp")
        {
            throw new ScpProtocolException("not an scp command");
        }

        bool to = false, from = false, recursive = false, preserve = false, directory = false, verbose = false;
        int i = 1;
        for (; i < words.Count; i++)
        {
            string word = words[i].Path;
            if (word == "--")
            {
                i++;
                break;
            }

            if (word.Length < 2 || word[0] != '-')
            {
                break;
            }

            foreach (char flag in word.AsSpan(1))
            {
                switch (flag)
                {
                    case 't': to = true; break;
                    case 'f': from = true; break;
                    case 'r': recursive = true; break;
                    case 'p': preserve = true; break;
                    case 'd': directory = true; break;
                    case 'v': verbose = true; break;
                    case 'q': break;
                    default: throw new ScpProtocolException($"unknown option -{ScpControlLine.Printable(flag.ToString())}");
                }
            }
        }

        if (to == from)
        {
            throw new ScpProtocolException("exactly one of -t and -f is required");
        }

        List<ScpCommandPath> paths = words.Skip(i).ToList();
        if (paths.Count == 0)
        {
            throw new ScpProtocolException("no path given");
        }

        if (to && paths.Count != 1)
        {
            throw new ScpProtocolException("-t takes exactly one target");
        }

        return new ScpCommand(to, recursive, preserve, directory, verbose, paths);
    }

    private static List<ScpCommandPath> Split(string command)
    {
        var words = new List<ScpCommandPath>();
        var word = new StringBuilder();
        bool inWord = false, quoted = false;
        for (int i = 0; i < command.Length; i++)
        {
            char c = command[i];
            switch (c)
            {
                case ' ' or '\t' or '\n':
                    if (inWord)
                    {
                        words.Add(new ScpCommandPath(word.ToString(), quoted));
                        word.Clear();
                        inWord = quoted = false;
                    }

                    break;
                case '\'':
                    int close = command.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        throw new ScpProtocolException("unterminated quote in command");
                    }

                    word.Append(command, i + 1, close - i - 1);
                    i = close;
                    inWord = quoted = true;
                    break;
                case '"':
                    i++;
                    while (i < command.Length && command[i] != '"')
                    {
                        if (command[i] == '\\' && i + 1 < command.Length && command[i + 1] is '"' or '\\' or '$' or '`')
                        {
                            i++;
                        }

                        word.Append(command[i++]);
                    }

                    if (i >= command.Length)
                    {
                        throw new ScpProtocolException("unterminated quote in command");
                    }

                    inWord = quoted = true;
                    break;
                case '\\':
                    if (i + 1 < command.Length)
                    {
                        // An escaped wildcard character makes the word literal; other escapes do not.
                        quoted |= command[i + 1] is '*' or '?' or '[';
                        word.Append(command[++i]);
                    }

                    inWord = true;
                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }

        if (inWord)
        {
            words.Add(new ScpCommandPath(word.ToString(), quoted));
        }

        return words;
    }
}

/// <summary>One path of an scp command.</summary>
/// <param name="Path">The path, quotes removed.</param>
/// <param name="Quoted">Whether any part was quoted or escaped (then it is taken literally, never as a wildcard).</param>
internal sealed record ScpCommandPath(string Path, bool Quoted);
