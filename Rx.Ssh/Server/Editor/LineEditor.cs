using System.Text;

namespace Rx.Ssh.Server.Editor;

/// <summary>
/// The server-side line editor for sessions with a pty: it receives what the user types, one key at a time,
/// echoes and edits the line the way a shell's readline does, and hands the application whole lines.
/// It knows nothing of channels: <see cref="Process"/> reports through an <see cref="ILineEditorSink"/>,
/// and <see cref="FormatOutput"/> prepares the application's own output for the terminal.
/// </summary>
/// <remarks>
/// <para>Keys in line mode: printable characters insert at the cursor; Enter (CR, LF, or CR LF counted once,
/// even when split across calls) ends the line; Backspace (DEL or ^H); ^U kills the whole line; ^W deletes the
/// word before the cursor; ^K kills to the end; ^A/^E and Home/End move to the start/end; ^B/^F and the arrow
/// keys move one character; Up/Down and ^P/^N walk the history; Delete deletes under the cursor; ^D is end of
/// input on an empty line and Delete otherwise; ^C interrupts; ^L redraws the line. Other control characters,
/// meta keys and unknown escape sequences are ignored.</para>
/// <para>Tab is kept in the line (the application receives '\t') and shown as one space, so every character
/// occupies one column. A surrogate pair is one character; all characters count as one column wide (East Asian
/// wide characters are not measured). Lines are limited to <c>maxLineLength</c> characters (code points):
/// further characters are dropped and the terminal bell rung.</para>
/// <para>History: non-empty lines entered with <see cref="Echo"/> on, newest first; a line equal to the newest
/// entry is not stored twice; lines typed with echo off (passwords) are never stored. Recalling a line copies it:
/// editing it does not change the history, and moving away from an edited recalled line discards the edit.
/// Down past the newest entry returns to the line that was being typed.</para>
/// <para>Display: the line is drawn from the column where the application's output left the cursor (tracked
/// by <see cref="FormatOutput"/>) using only relative moves (\b, ESC[nC, ESC[nD, ESC[K). A line wider than the
/// space left on the row scrolls horizontally, keeping the cursor visible; the last column of the row is never
/// written, so terminals never auto-wrap. The screen is brought up to date once per <see cref="Process"/> call,
/// writing only what changed. With <see cref="Echo"/> off nothing of the line is shown (moves, history and ^L
/// write nothing); Enter still echoes "\r\n", ^C "^C\r\n", and the bell still rings at the length limit.</para>
/// <para>Modes: switching <see cref="LineMode"/> off takes effect on the next character; a partial line stays in
/// the editor (not flushed to the application) and is redrawn, where the cursor then is, when line mode comes
/// back; the characters of an unfinished escape sequence are passed on to the application, and the LF of a CR LF
/// whose CR entered a line is still swallowed. Everything handed to <see cref="Process"/> in character mode goes to
/// the application in one <see cref="ILineEditorSink.Input"/> call. Not thread-safe: one
/// caller at a time (the session's input loop); <see cref="FormatOutput"/> may be called from a sink callback.</para>
/// </remarks>
internal sealed partial class LineEditor
{
    private const int DefaultWidth = 80;

    private readonly int _maxLineLength;
    private readonly LineHistory _history;
    private readonly KeyDecoder _decoder = new();
    private readonly StringBuilder _output = new();

    private Rune[] _line = new Rune[64];
    private int _length;
    private int _cursor;

    private bool _echoOn = true;
    private bool _lineMode = true;
    private int _terminalWidth = DefaultWidth;

    private char _pendingHighSurrogate;
    private bool _afterCarriageReturn;
    private int _historyIndex = -1;
    private string? _lineBeforeHistory;

    /// <summary>Creates an editor keeping <paramref name="historySize"/> lines and accepting lines of up to
    /// <paramref name="maxLineLength"/> characters.</summary>
    public LineEditor(int historySize = 100, int maxLineLength = 65536)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(historySize);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 1);
        _history = new LineHistory(historySize);
        _maxLineLength = maxLineLength;
    }

    /// <summary>Whether typed characters are echoed (default true). When false the line is still edited but
    /// nothing of it is shown (password entry); Enter still echoes "\r\n".</summary>
    public bool Echo
    {
        get => _echoOn;
        set => _echoOn = value;
    }

    /// <summary>Line mode (default true) or character mode (false): in character mode every character goes
    /// straight to <see cref="ILineEditorSink.Input"/>, unechoed and unedited.</summary>
    public bool LineMode
    {
        get => _lineMode;
        set
        {
            if (value == _lineMode)
            {
                return;
            }

            _lineMode = value;
            ForgetScreen(); // the application owns the terminal in character mode
        }
    }

    /// <summary>The terminal's width in columns (default 80); zero or less means unknown and counts as 80.</summary>
    public int TerminalWidth
    {
        get => _terminalWidth;
        set => _terminalWidth = value;
    }

    /// <summary>The line being edited, as typed so far (not yet submitted).</summary>
    public string CurrentLine => LineToString(appendNewline: false);

    /// <summary>The cursor's position in the line, in characters (code points).</summary>
    public int CursorPosition => _cursor;

    /// <summary>Processes typed characters, reporting echo, lines and signals to <paramref name="sink"/>.</summary>
    public void Process(ReadOnlySpan<char> typed, ILineEditorSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        for (int i = 0; i < typed.Length; i++)
        {
            if (!_lineMode)
            {
                PassThrough(typed[i..], sink);
                return;
            }

            ProcessLineModeChar(typed[i], sink);
        }

        Render(_output);
        FlushEcho(sink);
    }

    private void PassThrough(ReadOnlySpan<char> rest, ILineEditorSink sink)
    {
        Render(_output);
        FlushEcho(sink);
        if (_afterCarriageReturn)
        {
            _afterCarriageReturn = false;
            if (rest[0] == '\n')
            {
                rest = rest[1..]; // the LF of a CR LF pair whose CR ended a line in line mode
                if (rest.IsEmpty)
                {
                    return;
                }
            }
        }

        ReadOnlySpan<char> unfinished = _decoder.Unfinished;
        if (unfinished.IsEmpty && _pendingHighSurrogate == '\0')
        {
            sink.Input(rest.ToString());
            return;
        }

        var text = new StringBuilder(unfinished.Length + 1 + rest.Length);
        text.Append(unfinished);
        if (_pendingHighSurrogate != '\0')
        {
            text.Append(_pendingHighSurrogate);
        }

        text.Append(rest);
        _decoder.Reset();
        _pendingHighSurrogate = '\0';
        sink.Input(text.ToString());
    }

    private void ProcessLineModeChar(char c, ILineEditorSink sink)
    {
        if (_afterCarriageReturn)
        {
            _afterCarriageReturn = false;
            if (c == '\n')
            {
                return; // the LF of a CR LF pair
            }
        }

        switch (_decoder.Feed(c, out TerminalKey key))
        {
            case DecodeResult.Key:
                _pendingHighSurrogate = '\0';
                OnKey(key);
                break;
            case DecodeResult.Char:
                OnChar(c, sink);
                break;
            default:
                break;
        }
    }

    private void OnKey(TerminalKey key)
    {
        switch (key)
        {
            case TerminalKey.Up: HistoryBack(); break;
            case TerminalKey.Down: HistoryForward(); break;
            case TerminalKey.Left: MoveCursor(_cursor - 1); break;
            case TerminalKey.Right: MoveCursor(_cursor + 1); break;
            case TerminalKey.Home: MoveCursor(0); break;
            case TerminalKey.End: MoveCursor(_length); break;
            case TerminalKey.Delete: DeleteRange(_cursor, _cursor + 1); break;
            default: break;
        }
    }

    private void OnChar(char c, ILineEditorSink sink)
    {
        if (char.IsHighSurrogate(c))
        {
            _pendingHighSurrogate = c;
            return;
        }

        char high = _pendingHighSurrogate;
        _pendingHighSurrogate = '\0';
        if (char.IsLowSurrogate(c))
        {
            if (high != '\0')
            {
                Insert(new Rune(high, c));
            }

            return; // a lone low surrogate is dropped
        }

        switch (c)
        {
            case '\r':
                _afterCarriageReturn = true;
                Enter(sink);
                break;
            case '\n': Enter(sink); break;
            case '\x7f' or '\b': Backspace(); break;
            case '\x01': MoveCursor(0); break; // ^A
            case '\x02': MoveCursor(_cursor - 1); break; // ^B
            case '\x03': Interrupt(sink); break; // ^C
            case '\x04': EndOfInputOrDelete(sink); break; // ^D
            case '\x05': MoveCursor(_length); break; // ^E
            case '\x06': MoveCursor(_cursor + 1); break; // ^F
            case '\t': Insert(new Rune('\t')); break;
            case '\x0b': DeleteRange(_cursor, _length); break; // ^K
            case '\x0c': Redraw(); break; // ^L
            case '\x0e': HistoryForward(); break; // ^N
            case '\x10': HistoryBack(); break; // ^P
            case '\x15': DeleteRange(0, _length); break; // ^U
            case '\x17': DeleteWordBeforeCursor(); break; // ^W
            default:
                if (c >= ' ' && c is not (>= '\x7f' and <= '\x9f'))
                {
                    Insert(new Rune(c));
                }

                break;
        }
    }

    private void FlushEcho(ILineEditorSink sink)
    {
        if (_output.Length > 0)
        {
            string output = _output.ToString();
            _output.Clear();
            sink.Echo(output);
        }
    }

    private string LineToString(bool appendNewline)
    {
        int chars = appendNewline ? 1 : 0;
        for (int i = 0; i < _length; i++)
        {
            chars += _line[i].Utf16SequenceLength;
        }

        return string.Create(chars, this, static (span, editor) =>
        {
            int at = 0;
            for (int i = 0; i < editor._length; i++)
            {
                at += editor._line[i].EncodeToUtf16(span[at..]);
            }

            if (at < span.Length)
            {
                span[at] = '\n';
            }
        });
    }
}
