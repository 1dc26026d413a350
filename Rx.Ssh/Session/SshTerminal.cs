namespace Rx.Ssh;

/// <summary>Terminal settings for a pty request (RFC 4254 section 6.2).</summary>
/// <param name="TerminalType">TERM, e.g. <c>xterm-color</c>.</param>
/// <param name="Columns">Width in characters.</param>
/// <param name="Rows">Height in rows.</param>
public sealed record SshTerminal(string TerminalType = "xterm", int Columns = 80, int Rows = 24)
{
    /// <summary>Width in pixels (0 when unknown).</summary>
    public int PixelWidth { get; init; }

    /// <summary>Height in pixels (0 when unknown).</summary>
    public int PixelHeight { get; init; }

    /// <summary>
    /// Encoded terminal modes (RFC 4254 section 8): opcode to value, e.g. 53 (ECHO) to 0.
    /// Empty by default (the server's defaults apply).
    /// </summary>
    public IReadOnlyDictionary<byte, uint> Modes { get; init; } = new Dictionary<byte, uint>();
}
