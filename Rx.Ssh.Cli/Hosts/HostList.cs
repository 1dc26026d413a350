namespace Rx.Ssh.Cli.Hosts;

/// <summary>Expands <c>-H</c> values: comma-separated hosts, <c>@file</c> for a file of hosts (one a line, <c>#</c> comments).</summary>
internal static class HostList
{
    /// <summary>The hosts of every value, in order, each once.</summary>
    /// <exception cref="FormatException">A host is malformed.</exception>
    /// <exception cref="IOException">A hosts file cannot be read.</exception>
    public static IReadOnlyList<HostTarget> Expand(IEnumerable<string> values)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var hosts = new List<HostTarget>();
        foreach (string value in values)
        {
            foreach (string item in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                IEnumerable<string> names = item.StartsWith('@') ? ReadFile(item[1..]) : [item];
                foreach (string name in names)
                {
                    if (seen.Add(name))
                    {
                        hosts.Add(HostTarget.Parse(name));
                    }
                }
            }
        }

        return hosts;
    }

    private static IEnumerable<string> ReadFile(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"hosts file {path}: {ex.Message}", ex);
        }

        foreach (string raw in lines)
        {
            int hash = raw.IndexOf('#', StringComparison.Ordinal);
            string line = (hash >= 0 ? raw[..hash] : raw).Trim();
            foreach (string name in line.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries))
            {
                yield return name;
            }
        }
    }
}
