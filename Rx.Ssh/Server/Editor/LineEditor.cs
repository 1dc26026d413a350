using System.Text;

namespace Rx.Ssh.Server.Editor;

/// <summary>Receives what the line editor produces.</summary>
internal interface ILineEditorSink
{
    void Echo(string terminalOutput);

    void Input(string text);

    void EndOfInput();

    void Interrupt();
}

/// <summary>Interim minimal editor (echo, backspace, enter); replaced by the full editor.</summary>
internal sealed class LineEditor
{
    private readonly StringBuilder _line = new();
    private bool _lastWasCr;

    public LineEditor(int historySize = 100, int maxLineLength = 65536)
    {
        _ = historySize;
        _ = maxLineLength;
    }

    public bool Echo { get; set; } = true;

    public bool LineMode { get; set; } = true;

    public int TerminalWidth { get; set; } = 80;

    public void Process(ReadOnlySpan<char> typed, ILineEditorSink sink)
    {
        foreach (char c in typed)
        {
            if (!LineMode)
            {
                sink.Input(c.ToString());
                continue;
            }

            bool wasCr = _lastWasCr;
            _lastWasCr = c == '\r';
            switch (c)
            {
                case '\n' when wasCr:
                    break;
                case '\r' or '\n':
                    sink.Echo("\r\n");
                    sink.Input(_line.Append('\n').ToString());
                    _line.Clear();
                    break;
                case '\x7f' or '\b':
                    if (_line.Length > 0)
                    {
                        _line.Length--;
                        if (Echo)
                        {
                            sink.Echo("\b \b");
                        }
                    }

                    break;
                case '\x04' when _line.Length == 0:
                    sink.EndOfInput();
                    break;
                case '\x03':
                    _line.Clear();
                    sink.Echo("^C\r\n");
                    sink.Interrupt();
                    break;
                default:
                    if (!char.IsControl(c))
                    {
                        _line.Append(c);
                        if (Echo)
                        {
                            sink.Echo(c.ToString());
                        }
                    }

                    break;
            }
        }
    }

    public string FormatOutput(string applicationOutput) => applicationOutput.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
}
