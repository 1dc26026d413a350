namespace Rx.Ssh.Trust;

/// <summary>What known_hosts and authorized_keys share: reading a file that may be missing, and parsing line by line.</summary>
internal static class TrustFileText
{
    /// <summary>Parses one line; returns null for blank/comment lines, throws <see cref="FormatException"/> for malformed ones.</summary>
    public delegate T? LineParser<T>(ReadOnlySpan<char> line, string? path, int lineNumber)
        where T : class;

    /// <summary>The file's text, or empty when the file or its directory does not exist.</summary>
    public static string Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return string.Empty;
        }
    }

    /// <summary>Async form of <see cref="Read"/>.</summary>
    public static async ValueTask<string> ReadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return string.Empty;
        }
    }

    /// <summary>Parses every line; malformed lines become warnings with their line numbers.</summary>
    public static (List<T> Entries, List<TrustFileWarning> Warnings) ParseLines<T>(string text, string? path, LineParser<T> parse)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<T>();
        var warnings = new List<TrustFileWarning>();
        int lineNumber = 0;
        foreach (ReadOnlySpan<char> line in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            try
            {
                if (parse(line, path, lineNumber) is { } entry)
                {
                    entries.Add(entry);
                }
            }
            catch (FormatException e)
            {
                warnings.Add(new TrustFileWarning(path, lineNumber, e.Message));
            }
        }

        return (entries, warnings);
    }
}
