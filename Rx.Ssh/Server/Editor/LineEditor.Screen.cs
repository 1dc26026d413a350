using System.Text;

namespace Rx.Ssh.Server.Editor;

/// <summary>
/// What the terminal shows of the line: a window of it starting at <c>_offset</c>, drawn from the column where
/// input starts. <c>Render</c> compares the wanted window with what is on screen and writes only the difference.
/// </summary>
internal sealed partial class LineEditor
{
    private const string ClearToEndOfLine = "\x1b[K";

    private readonly StringBuilder _format = new();

    // What is on the terminal, relative to the column where input starts.
    private Rune[] _screen = new Rune[DefaultWidth];
    private int _screenLength;
    private int _screenCursor;
    private int _offset;

    // Where input starts on the row: the column the application's output left the cursor at.
    private int _startColumn;
    private bool _outputEndedWithCarriageReturn;
    private OutputState _outputState;

    private enum OutputState
    {
        Text,
        Escape,
        Csi,
        Osc,
        OscEscape,
    }

    /// <summary>
    /// Prepares text the application writes to the terminal: "\n" becomes "\r\n" (an existing "\r\n" is kept,
    /// also when split across calls). When part of the line being edited is on screen, the result first erases it,
    /// then writes the text, then draws the line again after it, cursor where it was: on a fresh row when the text
    /// ended with a newline, otherwise right after the text (as type-ahead follows a prompt). In character mode,
    /// with echo off, or with nothing typed, it is just the conversion.
    /// </summary>
    public string FormatOutput(string applicationOutput)
    {
        ArgumentNullException.ThrowIfNull(applicationOutput);
        if (applicationOutput.Length == 0)
        {
            return applicationOutput;
        }

        StringBuilder sb = _format;
        sb.Clear();
        EraseShownLine(sb);
        AppendOutput(sb, applicationOutput);
        Render(sb);
        string result = sb.ToString();
        sb.Clear();
        return result;
    }

    private int AvailableColumns
    {
        get
        {
            int width = _terminalWidth > 0 ? _terminalWidth : DefaultWidth;
            return Math.Max(1, width - _startColumn - 1);
        }
    }

    private static Rune Glyph(Rune rune) => rune.Value == '\t' ? new Rune(' ') : rune;

    /// <summary>Brings the terminal up to date with the line and cursor (line mode with echo only).</summary>
    private void Render(StringBuilder sb)
    {
        if (!_lineMode || !_echoOn)
        {
            return;
        }

        int available = AvailableColumns;
        ScrollToCursor(available);
        int visible = Math.Min(available, _length - _offset);
        if (_screen.Length < visible)
        {
            Array.Resize(ref _screen, Math.Max(visible, _screen.Length * 2));
        }

        int same = 0;
        int common = Math.Min(visible, _screenLength);
        while (same < common && Glyph(_line[_offset + same]) == _screen[same])
        {
            same++;
        }

        if (same < visible || _screenLength > visible)
        {
            AppendMove(sb, _screenCursor, same);
            for (int i = same; i < visible; i++)
            {
                Rune glyph = Glyph(_line[_offset + i]);
                _screen[i] = glyph;
                AppendRune(sb, glyph);
            }

            if (_screenLength > visible)
            {
                sb.Append(ClearToEndOfLine);
            }

            _screenLength = visible;
            _screenCursor = visible;
        }

        AppendMove(sb, _screenCursor, _cursor - _offset);
        _screenCursor = _cursor - _offset;
    }

    /// <summary>Chooses the window start so the cursor is visible, re-centring it when it leaves the window.</summary>
    private void ScrollToCursor(int available)
    {
        if (_length <= available)
        {
            _offset = 0;
            return;
        }

        int column = _cursor - _offset;
        if (column < 0 || column > available || (column == available && _cursor < _length))
        {
            _offset = Math.Max(0, _cursor - (available / 2));
        }

        // Never leave columns empty at the end while the line could fill them.
        _offset = Math.Min(_offset, _length - available);
    }

    private void MoveScreenCursorToEnd(StringBuilder sb)
    {
        AppendMove(sb, _screenCursor, _screenLength);
        _screenCursor = _screenLength;
    }

    /// <summary>^L: draws the line again from its first column (nothing with echo off).</summary>
    private void Redraw()
    {
        if (!_echoOn)
        {
            return;
        }

        EraseShownLine(_output);
        Render(_output);
    }

    private void EraseShownLine(StringBuilder sb)
    {
        if (_screenLength > 0 || _screenCursor > 0)
        {
            AppendMove(sb, _screenCursor, 0);
            sb.Append(ClearToEndOfLine);
        }

        ForgetScreen();
    }

    /// <summary>Assumes nothing of the line is on screen and the cursor is where input starts.</summary>
    private void ForgetScreen()
    {
        _screenLength = 0;
        _screenCursor = 0;
        _offset = 0;
    }

    private static void AppendMove(StringBuilder sb, int from, int to)
    {
        int delta = to - from;
        if (delta == -1)
        {
            sb.Append('\b');
        }
        else if (delta < 0)
        {
            sb.Append("\x1b[").Append(-delta).Append('D');
        }
        else if (delta > 0)
        {
            sb.Append("\x1b[").Append(delta).Append('C');
        }
    }

    private static void AppendRune(StringBuilder sb, Rune rune)
    {
        if (rune.IsBmp)
        {
            sb.Append((char)rune.Value);
            return;
        }

        Span<char> pair = stackalloc char[2];
        sb.Append(pair[..rune.EncodeToUtf16(pair)]);
    }

    /// <summary>Appends the application's text with LF made CR LF, and follows the column it leaves the cursor at
    /// (escape sequences take no room; tabs go to the next multiple of 8; long rows wrap at the width).</summary>
    private void AppendOutput(StringBuilder sb, string text)
    {
        int width = _terminalWidth > 0 ? _terminalWidth : DefaultWidth;
        int column = _startColumn;
        foreach (char c in text)
        {
            if (c == '\n' && !_outputEndedWithCarriageReturn)
            {
                sb.Append('\r');
            }

            sb.Append(c);
            _outputEndedWithCarriageReturn = c == '\r';
            column = NextColumn(column, c) % width;
        }

        _startColumn = column;
    }

    private int NextColumn(int column, char c)
    {
        switch (_outputState)
        {
            case OutputState.Escape:
                _outputState = c switch
                {
                    '[' => OutputState.Csi,
                    ']' => OutputState.Osc,
                    _ => OutputState.Text,
                };
                return column;
            case OutputState.Csi:
                if (c is >= '@' and <= '~')
                {
                    _outputState = OutputState.Text;
                }

                return column;
            case OutputState.Osc:
                _outputState = c switch
                {
                    '\a' => OutputState.Text,
                    '\x1b' => OutputState.OscEscape,
                    _ => OutputState.Osc,
                };
                return column;
            case OutputState.OscEscape:
                _outputState = c == '\\' ? OutputState.Text : OutputState.Osc;
                return column;
            default:
                break;
        }

        return c switch
        {
            '\r' or '\n' => 0,
            '\b' => Math.Max(0, column - 1),
            '\t' => (column / 8 * 8) + 8,
            '\x1b' => EnterEscape(column),
            _ when c < ' ' || char.IsLowSurrogate(c) || c is >= '\x7f' and <= '\x9f' => column,
            _ => column + 1,
        };
    }

    private int EnterEscape(int column)
    {
        _outputState = OutputState.Escape;
        return column;
    }
}
