using System.Collections;
using Rx.Ssh.Algorithms;

namespace Rx.Ssh.Client.Config;

/// <summary><c>SendEnv</c>: which local environment variables go to the server, as ssh chooses them.</summary>
internal static class ConfigEnvironment
{
    /// <summary>The process's environment.</summary>
    public static IReadOnlyDictionary<string, string> Local()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            if (e.Key is string name && e.Value is string value)
            {
                variables[name] = value;
            }
        }

        return variables;
    }

    /// <summary>
    /// The variables of <paramref name="local"/> whose names match the patterns (<c>*</c>, <c>?</c>), in
    /// name order. A pattern with a leading <c>-</c> removes the earlier patterns it matches, as ssh's
    /// readconf does; it selects nothing by itself.
    /// </summary>
    public static Dictionary<string, string> Collect(IReadOnlyList<string> sendEnv, IReadOnlyDictionary<string, string> local)
    {
        var patterns = new List<string>();
        foreach (string pattern in sendEnv)
        {
            if (pattern.StartsWith('-'))
            {
                patterns.RemoveAll(p => NamePattern.IsMatch(p, pattern.AsSpan(1)));
            }
            else if (!patterns.Contains(pattern))
            {
                patterns.Add(pattern);
            }
        }

        var chosen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string name, string value) in local.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (patterns.Exists(p => NamePattern.IsMatch(name, p)))
            {
                chosen[name] = value;
            }
        }

        return chosen;
    }
}
