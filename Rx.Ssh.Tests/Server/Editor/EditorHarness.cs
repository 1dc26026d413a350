using Rx.Ssh.Server.Editor;

namespace Rx.Ssh.Tests.Server.Editor;

/// <summary>An editor wired to a virtual terminal: tests type keys and look at the screen.</summary>
internal sealed class EditorHarness
{
    public const string Up = "\x1b[A";
    public const string Down = "\x1b[B";
    public const string Right = "\x1b[C";
    public const string Left = "\x1b[D";
    public const string Delete = "\x1b[3~";

    public EditorHarness(LineEditor? editor = null, int width = 80)
    {
        Editor = editor ?? new LineEditor();
        Editor.TerminalWidth = width;
        Sink = new RecordingSink(new VirtualTerminal(width));
    }

    public LineEditor Editor { get; }

    public RecordingSink Sink { get; }

    public VirtualTerminal Terminal => Sink.Terminal;

    /// <summary>The row the cursor is on, as the user sees it.</summary>
    public string Screen => Terminal.Line;

    public int Cursor => Terminal.Column;

    public List<string> Inputs => Sink.Inputs;

    public EditorHarness Type(string keys)
    {
        Editor.Process(keys, Sink);
        return this;
    }

    /// <summary>Types each character in its own call, to split sequences everywhere.</summary>
    public EditorHarness TypeOneByOne(string keys)
    {
        foreach (char c in keys)
        {
            Editor.Process([c], Sink);
        }

        return this;
    }

    /// <summary>The application writes <paramref name="text"/> (through <see cref="LineEditor.FormatOutput"/>).</summary>
    public EditorHarness Write(string text)
    {
        Terminal.Write(Editor.FormatOutput(text));
        return this;
    }

    public static string Repeat(string key, int count) => string.Concat(Enumerable.Repeat(key, count));
}
