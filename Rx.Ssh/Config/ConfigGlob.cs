namespace Rx.Ssh.Config;

/// <summary>
/// The files an Include pattern names, as glob(3) finds them: <c>*</c> and <c>?</c> in any path
/// component, dot files only when the component starts with a dot, sorted by name. A pattern
/// without wildcards names its file whether or not it exists (a missing one is skipped later).
/// </summary>
internal static class ConfigGlob
{
    /// <summary>The paths <paramref name="pattern"/> (an absolute path) matches, in order.</summary>
    public static IEnumerable<string> Expand(string pattern)
    {
        if (pattern.IndexOfAny(['*', '?']) < 0)
        {
            return [pattern];
        }

        string root = Path.GetPathRoot(pattern) ?? "/";
        string[] components = pattern[root.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        var paths = new List<string> { root };
        for (int i = 0; i < components.Length; i++)
        {
            string component = components[i];
            bool last = i == components.Length - 1;
            var next = new List<string>();
            foreach (string directory in paths)
            {
                if (component.IndexOfAny(['*', '?']) < 0)
                {
                    next.Add(Path.Combine(directory, component));
                    continue;
                }

                if (!Directory.Exists(directory))
                {
                    continue;
                }

                IEnumerable<string> entries = last ? Directory.EnumerateFileSystemEntries(directory) : Directory.EnumerateDirectories(directory);
                foreach (string entry in entries.Order(StringComparer.Ordinal))
                {
                    string name = Path.GetFileName(entry);
                    if ((name.StartsWith('.') && !component.StartsWith('.')) || !Keys.HostPattern.Matches(name, component, ignoreCase: false))
                    {
                        continue;
                    }

                    next.Add(entry);
                }
            }

            paths = next;
        }

        return paths;
    }
}
