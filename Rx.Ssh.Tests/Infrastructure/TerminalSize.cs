namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>A terminal window size in character cells, as <c>stty size</c> prints it reversed ("rows columns").</summary>
/// <param name="Columns">Width in characters.</param>
/// <param name="Rows">Height in lines.</param>
public readonly record struct TerminalSize(int Columns, int Rows)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Columns}x{Rows}";
}
