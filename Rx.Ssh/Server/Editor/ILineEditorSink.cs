namespace Rx.Ssh.Server.Editor;

/// <summary>
/// Receives what a <see cref="LineEditor"/> produces while it processes typed characters.
/// Calls arrive synchronously from <see cref="LineEditor.Process"/>, in the order the user caused them;
/// echo output that belongs before an <see cref="Input"/>, <see cref="EndOfInput"/> or <see cref="Interrupt"/>
/// is always delivered before it.
/// </summary>
internal interface ILineEditorSink
{
    /// <summary>Bytes to send back to the terminal (echo, cursor moves, redraws), already with "\r\n" line ends.</summary>
    void Echo(string terminalOutput);

    /// <summary>
    /// Text for the application: a full line ending in "\n" in line mode, or the typed characters
    /// (unchanged) in character mode.
    /// </summary>
    void Input(string text);

    /// <summary>ctrl-D on an empty line in line mode: end of input for the application.</summary>
    void EndOfInput();

    /// <summary>ctrl-C in line mode: the current line was discarded and "^C\r\n" echoed.</summary>
    void Interrupt();
}
