using System.Text;

namespace Rx.Ssh.Server.Editor;

/// <summary>Changes to the line buffer and the history; the screen follows in <c>Render</c>.</summary>
internal sealed partial class LineEditor
{
    private void Insert(Rune rune)
    {
        if (_length >= _maxLineLength)
        {
            _output.Append('\a');
            return;
        }

        if (_length == _line.Length)
        {
            Array.Resize(ref _line, Math.Min(_line.Length * 2, _maxLineLength));
        }

        Array.Copy(_line, _cursor, _line, _cursor + 1, _length - _cursor);
        _line[_cursor++] = rune;
        _length++;
    }

    private void Backspace()
    {
        if (_cursor > 0)
        {
            DeleteRange(_cursor - 1, _cursor);
        }
    }

    /// <summary>Deletes characters [start, end) (clamped to the line) and puts the cursor at start if it was
    /// inside or after the range.</summary>
    private void DeleteRange(int start, int end)
    {
        start = Math.Clamp(start, 0, _length);
        end = Math.Clamp(end, start, _length);
        int count = end - start;
        if (count == 0)
        {
            return;
        }

        Array.Copy(_line, end, _line, start, _length - end);
        _length -= count;
        if (_cursor >= end)
        {
            _cursor -= count;
        }
        else if (_cursor > start)
        {
            _cursor = start;
        }
    }

    /// <summary>^W: deletes the blanks before the cursor, then the non-blank word before them.</summary>
    private void DeleteWordBeforeCursor()
    {
        int start = _cursor;
        while (start > 0 && IsBlank(_line[start - 1]))
        {
            start--;
        }

        while (start > 0 && !IsBlank(_line[start - 1]))
        {
            start--;
        }

        DeleteRange(start, _cursor);
    }

    private static bool IsBlank(Rune rune) => rune.Value is ' ' or '\t';

    private void MoveCursor(int position) => _cursor = Math.Clamp(position, 0, _length);

    private void Enter(ILineEditorSink sink)
    {
        Render(_output);
        MoveScreenCursorToEnd(_output);
        _output.Append("\r\n");
        string line = LineToString(appendNewline: true);
        if (_echoOn && _length > 0)
        {
            _history.Add(line[..^1]);
        }

        StartNewLine();
        FlushEcho(sink);
        sink.Input(line);
    }

    private void Interrupt(ILineEditorSink sink)
    {
        Render(_output);
        int at = Math.Min(_screenLength, AvailableColumns - 2); // "^C" must not reach the row's last column
        if (at >= 0)
        {
            AppendMove(_output, _screenCursor, at);
            _output.Append("^C");
        }

        _output.Append("\r\n");
        StartNewLine();
        FlushEcho(sink);
        sink.Interrupt();
    }

    private void EndOfInputOrDelete(ILineEditorSink sink)
    {
        if (_length > 0)
        {
            DeleteRange(_cursor, _cursor + 1);
            return;
        }

        Render(_output);
        FlushEcho(sink);
        sink.EndOfInput();
    }

    /// <summary>After Enter or ^C: an empty line at the start of a fresh row.</summary>
    private void StartNewLine()
    {
        _length = 0;
        _cursor = 0;
        _historyIndex = -1;
        _lineBeforeHistory = null;
        _startColumn = 0;
        ForgetScreen();
    }

    private void HistoryBack()
    {
        if (_historyIndex + 1 >= _history.Count)
        {
            return;
        }

        if (_historyIndex < 0)
        {
            _lineBeforeHistory = LineToString(appendNewline: false);
        }

        _historyIndex++;
        SetLine(_history[_historyIndex]);
    }

    private void HistoryForward()
    {
        if (_historyIndex < 0)
        {
            return;
        }

        _historyIndex--;
        SetLine(_historyIndex < 0 ? _lineBeforeHistory ?? string.Empty : _history[_historyIndex]);
        if (_historyIndex < 0)
        {
            _lineBeforeHistory = null;
        }
    }

    /// <summary>Replaces the line with <paramref name="text"/> (cut to the maximum length), cursor at the end.</summary>
    private void SetLine(string text)
    {
        _length = 0;
        foreach (Rune rune in text.EnumerateRunes())
        {
            if (_length == _maxLineLength)
            {
                break;
            }

            if (_length == _line.Length)
            {
                Array.Resize(ref _line, Math.Min(_line.Length * 2, _maxLineLength));
            }

            _line[_length++] = rune;
        }

        _cursor = _length;
    }
}
