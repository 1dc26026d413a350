namespace Rx.Ssh.Keys;

/// <summary>
/// OpenSSH-style host pattern matching: <c>*</c> matches any run of characters, <c>?</c> exactly one,
/// comparison ignores ASCII case, and a pattern list is comma-separated where a leading <c>!</c>
/// negates an item.
/// </summary>
internal static class HostPattern
{
    /// <summary>The outcome of matching a name against a pattern list.</summary>
    internal enum ListMatch
    {
        /// <summary>No item matched.</summary>
        None,

        /// <summary>A positive item matched and no negated item did.</summary>
        Match,

        /// <summary>A negated item matched: the list explicitly excludes the name.</summary>
        Negated,
    }

    /// <summary>True when <paramref name="text"/> matches the single wildcard <paramref name="pattern"/> (ASCII case ignored unless <paramref name="ignoreCase"/> is false).</summary>
    public static bool Matches(ReadOnlySpan<char> text, ReadOnlySpan<char> pattern, bool ignoreCase = true)
    {
        // Iterative wildcard matching with a single backtrack point for the latest '*':
        // linear in practice and free of recursion on hostile patterns.
        int t = 0, p = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t] || (ignoreCase && EqualsIgnoreCase(pattern[p], text[t]))))
            {
                t++;
                p++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starT = t;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>
    /// Matches <paramref name="name"/> against a comma-separated list. A matching negated item wins
    /// over any positive item, wherever it appears in the list.
    /// </summary>
    public static ListMatch MatchList(ReadOnlySpan<char> name, ReadOnlySpan<char> patternList)
    {
        bool matched = false;
        foreach (Range range in patternList.Split(','))
        {
            ReadOnlySpan<char> item = patternList[range].Trim();
            bool negated = item.Length > 0 && item[0] == '!';
            if (negated)
            {
                item = item[1..];
            }

            if (item.Length == 0 || !Matches(name, item))
            {
                continue;
            }

            if (negated)
            {
                return ListMatch.Negated;
            }

            matched = true;
        }

        return matched ? ListMatch.Match : ListMatch.None;
    }

    private static bool EqualsIgnoreCase(char a, char b)
        => a == b || (char.IsAscii(a) && char.IsAscii(b) && char.ToLowerInvariant(a) == char.ToLowerInvariant(b));
}
