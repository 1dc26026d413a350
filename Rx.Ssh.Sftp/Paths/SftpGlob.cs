namespace Rx.Ssh.Sftp.Paths;

/// <summary>
/// Shell-style matching of one path component: <c>*</c> any run of characters, <c>?</c> one
/// character, <c>[abc]</c>, <c>[a-z]</c> and <c>[!a-z]</c> (or <c>[^a-z]</c>) one character of a set.
/// A leading dot is matched only by a pattern that starts with one (as in the shell).
/// </summary>
internal static class SftpGlob
{
    /// <summary>Whether a component has a wildcard.</summary>
    public static bool HasWildcard(string component) => component.AsSpan().IndexOfAny("*?[") >= 0;

    /// <summary>Whether <paramref name="name"/> matches <paramref name="pattern"/>.</summary>
    public static bool IsMatch(string pattern, string name)
    {
        if (name.StartsWith('.') && !pattern.StartsWith('.'))
        {
            return false;
        }

        return Match(pattern.AsSpan(), name.AsSpan());
    }

    private static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        // Iterative with one backtrack point for the last '*': linear for usual patterns, never exponential.
        int p = 0, n = 0, starP = -1, starN = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starN = n;
                continue;
            }

            if (p < pattern.Length && MatchOne(pattern, ref p, name[n]))
            {
                n++;
                continue;
            }

            if (starP < 0)
            {
                return false;
            }

            p = starP + 1;
            n = ++starN;
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>Matches one character against the pattern element at <paramref name="p"/>, advancing past it on success.</summary>
    private static bool MatchOne(ReadOnlySpan<char> pattern, ref int p, char c)
    {
        char head = pattern[p];
        if (head == '?')
        {
            p++;
            return true;
        }

        if (head == '[')
        {
            int i = p + 1;
            bool negate = i < pattern.Length && (pattern[i] == '!' || pattern[i] == '^');
            if (negate)
            {
                i++;
            }

            bool matched = false;
            int first = i;
            while (i < pattern.Length && (pattern[i] != ']' || i == first))
            {
                char low = pattern[i];
                if (i + 2 < pattern.Length && pattern[i + 1] == '-' && pattern[i + 2] != ']')
                {
                    matched |= c >= low && c <= pattern[i + 2];
                    i += 3;
                }
                else
                {
                    matched |= c == low;
                    i++;
                }
            }

            if (i >= pattern.Length)
            {
                // No closing bracket: '[' is a literal.
                if (c == '[')
                {
                    p++;
                    return true;
                }

                return false;
            }

            if (matched != negate)
            {
                p = i + 1;
                return true;
            }

            return false;
        }

        if (head == '\\' && p + 1 < pattern.Length)
        {
            if (pattern[p + 1] == c)
            {
                p += 2;
                return true;
            }

            return false;
        }

        if (head == c)
        {
            p++;
            return true;
        }

        return false;
    }
}
