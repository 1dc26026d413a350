namespace Rx.Ssh.Trust;

/// <summary>What known_hosts and authorized_keys share: reading a file that may be missing, and parsing line by line.</summary>
internal static class TrustFileText
{
    /// <summary><c>/dev/null</c>: read as an empty file; what is appended to it is discarded.</summary>
    public const string NullDevice = "/dev/null";

    /// <summary>Parses one line; returns null for blank/comment lines, throws <see cref="FormatException"/> for malformed ones.</summary>
    public delegate T? LineParser<T>(ReadOnlySpan<char> line, string? path, int lineNumber)
        where T : class;

    /// <summary>The file's text, or empty when the file or its directory does not exist.</summary>
    /// <exception cref="SshTrustFileException">The path is not a regular file, or the file is larger than <see cref="SshTrustFileException.MaxLength"/>.</exception>
    public static string Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using FileStream stream = Open(path);
            using var text = new MemoryStream(InitialCapacity(stream));
            byte[] chunk = new byte[16 * 1024];
            int n;
            while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                Append(path, text, chunk.AsSpan(0, n));
            }

            return Decode(text);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return string.Empty;
        }
    }

    /// <summary>Async form of <see cref="Read"/>.</summary>
    /// <exception cref="SshTrustFileException">The path is not a regular file, or the file is larger than <see cref="SshTrustFileException.MaxLength"/>.</exception>
    public static async ValueTask<string> ReadAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            FileStream stream = Open(path);
            await using (stream.ConfigureAwait(false))
            {
                using var text = new MemoryStream(InitialCapacity(stream));
                byte[] chunk = new byte[16 * 1024];
                int n;
                while ((n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    Append(path, text, chunk.AsSpan(0, n));
                }

                return Decode(text);
            }
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return string.Empty;
        }
    }

    /// <summary>Opens <paramref name="path"/> for reading after checking it is a regular file (opening a FIFO would block).</summary>
    private static FileStream Open(string path)
    {
        // The empty file of every OpenSSH config that wants no known hosts ("UserKnownHostsFile /dev/null").
        if (path == NullDevice)
        {
            throw new FileNotFoundException("The null device holds nothing.", path);
        }

        if (Directory.Exists(path))
        {
            throw new SshTrustFileException(path, $"'{path}' is a directory, not a regular file.");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException("No such file.", path);
        }

        if (FileKind.IsRegularFile(path) == false)
        {
            throw new SshTrustFileException(path, $"'{path}' is not a regular file.");
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
    }

    private static int InitialCapacity(FileStream stream) => (int)Math.Min(stream.Length, SshTrustFileException.MaxLength);

    private static void Append(string path, MemoryStream text, ReadOnlySpan<byte> bytes)
    {
        if (text.Length + bytes.Length > SshTrustFileException.MaxLength)
        {
            throw new SshTrustFileException(path, $"'{path}' is larger than {SshTrustFileException.MaxLength} bytes.");
        }

        text.Write(bytes);
    }

    private static string Decode(MemoryStream text)
    {
        ReadOnlySpan<byte> bytes = text.GetBuffer().AsSpan(0, (int)text.Length);
        return System.Text.Encoding.UTF8.GetString(bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? bytes[3..] : bytes);
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
