namespace Rx.Ssh;

/// <summary>An expect ended without its match; <see cref="Received"/> is the text received since the previous match.</summary>
public class SshExpectException : SshException
{
    /// <summary>Creates the exception.</summary>
    public SshExpectException(string message, string received, string pattern)
        : base(message)
    {
        Received = received;
        Pattern = pattern;
    }

    /// <summary>The text received and not matched (since the previous match or the start).</summary>
    public string Received { get; }

    /// <summary>What was expected (the string, or the regular expression's pattern).</summary>
    public string Pattern { get; }

    /// <summary>The end of <paramref name="text"/>, for a message (control characters escaped).</summary>
    internal static string Tail(string text)
    {
        string tail = text.Length > 80 ? "…" + text[^80..] : text;
        var escaped = new System.Text.StringBuilder(tail.Length);
        foreach (char c in tail)
        {
            _ = c switch
            {
                '\r' => escaped.Append("\\r"),
                '\n' => escaped.Append("\\n"),
                '\t' => escaped.Append("\\t"),
                < ' ' or '\x7f' => escaped.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }
}

/// <summary>The timeout passed before the expected text arrived.</summary>
public sealed class SshExpectTimeoutException : SshExpectException
{
    /// <summary>Creates the exception.</summary>
    public SshExpectTimeoutException(TimeSpan timeout, string received, string pattern)
        : base($"'{pattern}' did not arrive within {timeout.TotalSeconds:0.###} s; received \"{Tail(received)}\".", received, pattern)
    {
        Timeout = timeout;
    }

    /// <summary>The time waited.</summary>
    public TimeSpan Timeout { get; }
}

/// <summary>The output ended (EOF, the process exited, the source completed) before the expected text arrived.</summary>
public sealed class SshExpectEndOfStreamException : SshExpectException
{
    /// <summary>Creates the exception.</summary>
    public SshExpectEndOfStreamException(string received, string pattern)
        : base($"The output ended before '{pattern}'; received \"{Tail(received)}\".", received, pattern)
    {
    }
}

/// <summary>More text than <see cref="SshExpectOptions.MaxBufferChars"/> arrived without a match.</summary>
public sealed class SshExpectBufferLimitException : SshExpectException
{
    /// <summary>Creates the exception.</summary>
    public SshExpectBufferLimitException(int maxBufferChars, string received, string pattern)
        : base($"{received.Length} characters arrived without '{pattern}', over the limit of {maxBufferChars}; raise SshExpectOptions.MaxBufferChars or expect something nearer.", received, pattern)
    {
        MaxBufferChars = maxBufferChars;
    }

    /// <summary>The limit that was hit.</summary>
    public int MaxBufferChars { get; }
}
