using System.Text;
using Rx.Ssh.Server.Editor;

namespace Rx.Ssh.Tests.Server.Editor;

/// <summary>Feeds the editor's echo into a <see cref="VirtualTerminal"/> and records what the application got.</summary>
internal sealed class RecordingSink(VirtualTerminal terminal) : ILineEditorSink
{
    public VirtualTerminal Terminal { get; } = terminal;

    /// <summary>Everything echoed, concatenated.</summary>
    public StringBuilder Echoed { get; } = new();

    public List<string> Inputs { get; } = [];

    /// <summary>"input:…", "eof" and "interrupt" in the order they happened.</summary>
    public List<string> Events { get; } = [];

    /// <summary>Runs after each Input (to let tests act as the application would, e.g. switch modes).</summary>
    public Action<string>? OnInput { get; set; }

    public void Echo(string terminalOutput)
    {
        Echoed.Append(terminalOutput);
        Terminal.Write(terminalOutput);
    }

    public void Input(string text)
    {
        Inputs.Add(text);
        Events.Add("input:" + text);
        OnInput?.Invoke(text);
    }

    public void EndOfInput() => Events.Add("eof");

    public void Interrupt() => Events.Add("interrupt");
}
