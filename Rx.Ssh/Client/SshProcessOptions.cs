namespace Rx.Ssh;

/// <summary>How to start a remote command.</summary>
public sealed record SshProcessOptions
{
    /// <summary>Environment variables to send (the server may refuse some; OpenSSH's AcceptEnv decides).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Request a pseudo-terminal with these settings.</summary>
    public SshTerminal? Terminal { get; init; }

    /// <summary>Bytes written to the command's stdin, followed by EOF. When null (and <see cref="Stdin"/> is null), EOF is sent at once.</summary>
    public ReadOnlyMemory<byte>? Input { get; init; }

    /// <summary>
    /// Where the command's stdin comes from (a file, a local or remote process, a stream, an
    /// observable...), EOF following at its end. Not together with <see cref="Input"/>. A source
    /// failure fails the run (see <see cref="SshRedirectException"/>).
    /// </summary>
    public SshSource? Stdin { get; init; }

    /// <summary>
    /// Where the command's stdout goes instead of being captured (for <c>Run</c> the result's
    /// stdout is then empty; for <c>CreateProcess</c> do not read <see cref="SshClientProcess.Stdout"/>).
    /// Not supported by <c>Exec</c>, whose events carry the output.
    /// </summary>
    public SshSink? Stdout { get; init; }

    /// <summary>Where the command's stderr goes instead of being captured; see <see cref="Stdout"/>.</summary>
    public SshSink? Stderr { get; init; }

    /// <summary>
    /// For <c>Run</c>: the most bytes of stdout, and of stderr, captured into the result. More fails
    /// the run with <see cref="SshOutputLimitException"/> and closes the channel (output is never cut
    /// silently). Default 64 MiB; <see cref="long.MaxValue"/> captures without limit (an explicit
    /// choice: a server can then make the client hold as much as it sends). Redirect with
    /// <see cref="Stdout"/>/<see cref="Stderr"/> for larger output.
    /// </summary>
    public long MaxOutputBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// For <see cref="SshProcessReader.ReadLineAsync"/> (and <c>Lines</c>) of processes made with
    /// these options: the longest line in bytes, without its line ending. A longer line fails the
    /// read with <see cref="SshLineTooLongException"/> once that many bytes are read, so memory stays
    /// bounded. Default 1 MiB, the same as <see cref="SshServerOptions.MaxLineLength"/>.
    /// </summary>
    public int MaxLineLength { get; init; } = 1024 * 1024;

    /// <summary>
    /// For processes made with these options (<see cref="SshClientConnection.CreateProcessAsync"/>):
    /// the most bytes of stdout, and of stderr, held for a stream nobody has started reading yet.
    /// Such a stream holds only a quarter of the channel window, so it never stalls the other
    /// stream or the exit; beyond that its data is kept in memory up to this bound, then the stream
    /// is discarded and a later read fails with <see cref="SshOutputLimitException"/>. Default 16 MiB.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to zero or less.</exception>
    public long MaxUnreadOutputBytes
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The bound must be positive.");
    } = 16L * 1024 * 1024;

    /// <summary>For <c>Run</c>: fail with <see cref="SshProcessException"/> unless the exit status is 0.</summary>
    public bool Check { get; init; }

    /// <summary>
    /// A signal (name without <c>SIG</c>, e.g. <c>TERM</c>) sent to the process when it is stopped
    /// early (the subscription of <c>Exec</c>/<c>Run</c> disposed, or an <see cref="SshClientProcess"/>
    /// disposed before it exited), just before the channel is closed. Null (the default) only closes the channel.
    /// </summary>
    public string? DisposeSignal { get; init; }

    /// <summary>
    /// How <see cref="SshClientProcess.ExpectAsync(string, TimeSpan?, CancellationToken)"/> and
    /// <see cref="SshClientProcess.SendLineAsync"/> behave on the process (timeout, buffer bound, line
    /// ending). Null (the default): <see cref="SshExpectOptions"/>' defaults.
    /// </summary>
    public SshExpectOptions? Expect { get; init; }
}
