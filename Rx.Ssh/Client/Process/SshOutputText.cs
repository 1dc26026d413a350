namespace Rx.Ssh;

/// <summary>A chunk of a process's output text and the stream it came from (see <see cref="SshClientProcess.Output"/>).</summary>
/// <param name="Text">The text (UTF-8 decoded; characters split across packets are kept whole).</param>
/// <param name="Stream">stdout or stderr.</param>
public sealed record SshOutputText(string Text, SshStandardStream Stream);
