using System.Globalization;
using System.Text;

namespace Rx.Ssh.Tests.Server.Editor;

/// <summary>
/// A tiny screen model for the line editor's tests: rows of cells (one code point each), auto-wrap off (writing
/// in the last column overwrites it), and only what the editor may send: printable text, \r, \n, \b, \a, ESC[nC,
/// ESC[nD and ESC[K. Anything else fails the test.
/// </summary>
internal sealed class VirtualTerminal
{
    private readonly List<string?[]> _rows = [];

    public VirtualTerminal(int width = 80)
    {
        Width = width;
        _rows.Add(new string?[width]);
    }

    public int Width { get; }

    public int Row { get; private set; }

    public int Column { get; private set; }

    public int Bells { get; private set; }

    /// <summary>How many times something was written into the last column (a real terminal might auto-wrap).</summary>
    public int LastColumnWrites { get; private set; }

    /// <summary>The row the cursor is on, trailing blanks removed.</summary>
    public string Line => RowText(Row);

    /// <summary>Every row, trailing blanks removed.</summary>
    public IReadOnlyList<string> Rows => [.. Enumerable.Range(0, _rows.Count).Select(RowText)];

    public string RowText(int row)
    {
        var text = new StringBuilder();
        foreach (string? cell in _rows[row])
        {
            text.Append(cell ?? " ");
        }

        return text.ToString().TrimEnd(' ');
    }

    /// <summary>Scribbles over the current row without moving the cursor (to test redraws).</summary>
    public void Scribble()
    {
        Array.Fill(_rows[Row], "#");
    }

    public void Write(string output)
    {
        for (int i = 0; i < output.Length; i++)
        {
            char c = output[i];
            switch (c)
            {
                case '\r':
                    Column = 0;
                    break;
                case '\n':
                    Row++;
                    if (Row == _rows.Count)
                    {
                        _rows.Add(new string?[Width]);
                    }

                    break;
                case '\b':
                    Column = Math.Max(0, Column - 1);
                    break;
                case '\a':
                    Bells++;
                    break;
                case '\x1b':
                    i = Escape(output, i);
                    break;
                default:
                    if (char.IsControl(c))
                    {
                        throw new InvalidOperationException($"unexpected control character 0x{(int)c:x2} in {Show(output)}");
                    }

                    string cell = char.IsHighSurrogate(c) ? output.Substring(i++, 2) : c.ToString();
                    if (Column == Width - 1)
                    {
                        LastColumnWrites++;
                    }

                    _rows[Row][Column] = cell;
                    Column = Math.Min(Width - 1, Column + 1);
                    break;
            }
        }
    }

    public static string Show(string output) =>
        string.Concat(output.Select(c => c < ' ' || c == '\x7f' ? $"<{(int)c:x2}>" : c.ToString()));

    private int Escape(string output, int at)
    {
        if (at + 2 >= output.Length || output[at + 1] != '[')
        {
            throw new InvalidOperationException($"incomplete or unknown escape sequence in {Show(output)}");
        }

        int end = at + 2;
        while (end < output.Length && char.IsAsciiDigit(output[end]))
        {
            end++;
        }

        if (end == output.Length)
        {
            throw new InvalidOperationException($"incomplete escape sequence in {Show(output)}");
        }

        int n = end > at + 2 ? int.Parse(output.AsSpan(at + 2, end - at - 2), CultureInfo.InvariantCulture) : 1;
        switch (output[end])
        {
            case 'C':
                Column = Math.Min(Width - 1, Column + n);
                break;
            case 'D':
                Column = Math.Max(0, Column - n);
                break;
            case 'K' when end == at + 2:
                Array.Fill(_rows[Row], null, Column, Width - Column);
                break;
            default:
                throw new InvalidOperationException($"unsupported escape sequence in {Show(output)}");
        }

        return end;
    }
}
