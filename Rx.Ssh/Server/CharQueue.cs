namespace Rx.Ssh.Server;

/// <summary>
/// Decoded input text waiting to be read: appended at the end, taken from the front. Taking moves
/// a start index instead of shifting the rest (as <see cref="System.Text.StringBuilder.Remove"/>
/// does), so splitting a large buffer into many short lines costs time linear in its size.
/// </summary>
internal sealed class CharQueue
{
    private char[] _chars = new char[256];
    private int _start;
    private int _length;

    /// <summary>Characters waiting.</summary>
    public int Length => _length;

    /// <summary>The waiting characters.</summary>
    public ReadOnlySpan<char> Span => _chars.AsSpan(_start, _length);

    /// <summary>Appends <paramref name="text"/>.</summary>
    public void Append(ReadOnlySpan<char> text)
    {
        if (_start + _length + text.Length > _chars.Length)
        {
            if (_length + text.Length <= _chars.Length / 2)
            {
                // Plenty of room once the taken part is dropped: slide the rest to the front.
                Span.CopyTo(_chars);
            }
            else
            {
                char[] bigger = new char[Math.Max(_chars.Length * 2, _length + text.Length)];
                Span.CopyTo(bigger);
                _chars = bigger;
            }

            _start = 0;
        }

        text.CopyTo(_chars.AsSpan(_start + _length));
        _length += text.Length;
    }

    /// <summary>Index of the first <paramref name="c"/> at or after <paramref name="from"/>, or -1.</summary>
    public int IndexOf(char c, int from)
    {
        int i = Span[from..].IndexOf(c);
        return i < 0 ? -1 : from + i;
    }

    /// <summary>Drops the first <paramref name="count"/> characters.</summary>
    public void Skip(int count)
    {
        _start += count;
        _length -= count;
        if (_length == 0)
        {
            _start = 0;
        }
    }

    /// <summary>Takes the first <paramref name="count"/> characters as a string.</summary>
    public string Take(int count)
    {
        string text = new(_chars, _start, count);
        Skip(count);
        return text;
    }
}
