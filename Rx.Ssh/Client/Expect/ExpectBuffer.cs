using System.Text;
using System.Text.RegularExpressions;

namespace Rx.Ssh.Client.Expect;

/// <summary>
/// Text received and not yet matched, searched for one pattern at a time. A string is searched
/// only where it could newly match (from the last possible start before the new text); a regular
/// expression is run over the whole buffer on each arrival (so <c>$</c> and look-behinds see it all).
/// </summary>
internal sealed class ExpectBuffer(int maxChars)
{
    private readonly StringBuilder _text = new();
    private int _searchedTo;

    /// <summary>The text held.</summary>
    public string Text => _text.ToString();

    /// <summary>Adds received text; false when that takes the buffer over its bound (the text is kept for the error).</summary>
    public bool Append(string text)
    {
        _text.Append(text);
        return _text.Length <= maxChars;
    }

    /// <summary>Drops everything held.</summary>
    public void Clear()
    {
        _text.Clear();
        _searchedTo = 0;
    }

    /// <summary>A new pattern: search everything held again.</summary>
    public void Restart() => _searchedTo = 0;

    /// <summary>Looks for <paramref name="pattern"/>; on a match removes the text up to its end and returns it.</summary>
    public SshExpectMatch? TryMatch(ExpectPattern pattern)
    {
        string text = _text.ToString();
        SshExpectMatch? found;
        int end;
        if (pattern.Regex is { } regex)
        {
            Match match = regex.Match(text);
            if (!match.Success)
            {
                return null;
            }

            found = new SshExpectMatch(text[..match.Index], match.Value, match);
            end = match.Index + match.Length;
        }
        else
        {
            string literal = pattern.Literal!;
            int from = Math.Max(0, _searchedTo - literal.Length + 1);
            int at = text.IndexOf(literal, from, StringComparison.Ordinal);
            _searchedTo = text.Length;
            if (at < 0)
            {
                return null;
            }

            found = new SshExpectMatch(text[..at], literal, null);
            end = at + literal.Length;
        }

        _text.Remove(0, end);
        _searchedTo = 0;
        return found;
    }
}

/// <summary>A string or a regular expression to wait for.</summary>
internal sealed class ExpectPattern
{
    private ExpectPattern(string? literal, Regex? regex)
    {
        Literal = literal;
        Regex = regex;
    }

    public string? Literal { get; }

    public Regex? Regex { get; }

    /// <summary>How the pattern is named in errors.</summary>
    public string Display => Literal ?? Regex!.ToString();

    public static ExpectPattern Of(string literal)
    {
        ArgumentException.ThrowIfNullOrEmpty(literal);
        return new ExpectPattern(literal, null);
    }

    public static ExpectPattern Of(Regex regex)
    {
        ArgumentNullException.ThrowIfNull(regex);
        return new ExpectPattern(null, regex);
    }
}
