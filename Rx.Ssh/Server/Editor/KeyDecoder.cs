namespace Rx.Ssh.Server.Editor;

/// <summary>What <see cref="KeyDecoder.Feed"/> made of one character.</summary>
internal enum DecodeResult
{
    /// <summary>The character was taken into an escape sequence that is not complete yet.</summary>
    Pending,

    /// <summary>The character is not part of a sequence: interpret it as typed.</summary>
    Char,

    /// <summary>The character completed a sequence naming a <see cref="TerminalKey"/>.</summary>
    Key,

    /// <summary>The character completed (or broke) a sequence that names no key: drop it.</summary>
    Ignored,
}

/// <summary>Keys a terminal sends as escape sequences.</summary>
internal enum TerminalKey
{
    None,
    Up,
    Down,
    Right,
    Left,
    Home,
    End,
    Delete,
}

/// <summary>
/// Turns the escape sequences a terminal sends for special keys (CSI "ESC [" and SS3 "ESC O") into
/// <see cref="TerminalKey"/>s, one character at a time, so sequences may be split across reads.
/// Modifier parameters ("ESC [ 1 ; 5 C") are ignored: the key counts as unmodified.
/// A control character inside a sequence abandons the sequence and is handed back as a plain character
/// (so ESC followed by Enter still enters the line); an ESC followed by a printable character (a meta key)
/// is dropped. The characters of an unfinished sequence are kept (up to a small limit) so that a switch to
/// character mode can pass them on unchanged.
/// </summary>
internal sealed class KeyDecoder
{
    private const char Esc = '\x1b';
    private const int MaxRecorded = 16;
    private const int MaxParameter = 100_000;

    private readonly char[] _recorded = new char[MaxRecorded];
    private int _recordedLength;
    private State _state;
    private int _parameter;
    private bool _pastFirstParameter;

    private enum State
    {
        Ground,
        Escape,
        Csi,
        Ss3,
    }

    /// <summary>The characters of the unfinished sequence (at most 16 are kept).</summary>
    public ReadOnlySpan<char> Unfinished => _recorded.AsSpan(0, _recordedLength);

    public DecodeResult Feed(char c, out TerminalKey key)
    {
        key = TerminalKey.None;
        switch (_state)
        {
            case State.Ground:
                if (c == Esc)
                {
                    Start();
                    return DecodeResult.Pending;
                }

                return DecodeResult.Char;

            case State.Escape:
                if (c is '[' or 'O')
                {
                    _state = c == '[' ? State.Csi : State.Ss3;
                    Record(c);
                    return DecodeResult.Pending;
                }

                return Abandon(c);

            default:
                if (c is >= '0' and <= '?')
                {
                    Parameter(c);
                    Record(c);
                    return DecodeResult.Pending;
                }

                if (c is >= ' ' and <= '/')
                {
                    Record(c); // intermediate bytes
                    return DecodeResult.Pending;
                }

                if (c is >= '@' and <= '~')
                {
                    key = Map(_state, c, _parameter);
                    Reset();
                    return key == TerminalKey.None ? DecodeResult.Ignored : DecodeResult.Key;
                }

                return Abandon(c);
        }
    }

    /// <summary>Forgets any unfinished sequence.</summary>
    public void Reset()
    {
        _state = State.Ground;
        _recordedLength = 0;
        _parameter = 0;
        _pastFirstParameter = false;
    }

    private static bool IsControl(char c) => c < ' ' || c == '\x7f';

    private static TerminalKey Map(State state, char final, int parameter) => final switch
    {
        'A' => TerminalKey.Up,
        'B' => TerminalKey.Down,
        'C' => TerminalKey.Right,
        'D' => TerminalKey.Left,
        'H' => TerminalKey.Home,
        'F' => TerminalKey.End,
        '~' when state == State.Csi => parameter switch
        {
            1 or 7 => TerminalKey.Home,
            4 or 8 => TerminalKey.End,
            3 => TerminalKey.Delete,
            _ => TerminalKey.None,
        },
        _ => TerminalKey.None,
    };

    private DecodeResult Abandon(char c)
    {
        Reset();
        if (c == Esc)
        {
            Start();
            return DecodeResult.Pending;
        }

        return IsControl(c) ? DecodeResult.Char : DecodeResult.Ignored;
    }

    private void Start()
    {
        Reset();
        _state = State.Escape;
        Record(Esc);
    }

    private void Parameter(char c)
    {
        if (c == ';')
        {
            _pastFirstParameter = true;
        }
        else if (c is >= '0' and <= '9' && !_pastFirstParameter)
        {
            _parameter = Math.Min((_parameter * 10) + (c - '0'), MaxParameter);
        }
    }

    private void Record(char c)
    {
        if (_recordedLength < MaxRecorded)
        {
            _recorded[_recordedLength++] = c;
        }
    }
}
