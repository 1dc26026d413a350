namespace Rx.Ssh;

/// <summary>
/// How <see cref="SshClientProcess.ExpectAsync(string, TimeSpan?, CancellationToken)"/> and
/// <see cref="SshClientProcess.SendLineAsync"/> behave (set on <see cref="SshProcessOptions.Expect"/>).
/// </summary>
public sealed record SshExpectOptions
{
    /// <summary>The characters kept by default while waiting for a match: 1 Mi (about 2 MiB of memory).</summary>
    public const int DefaultMaxBufferChars = 1024 * 1024;

    /// <summary>How long an expect waits when the call gives no timeout. Default 30 s.</summary>
    public TimeSpan Timeout
    {
        get;
        init => field = value == System.Threading.Timeout.InfiniteTimeSpan || value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The timeout must be positive or infinite.");
    } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most characters held while waiting for a match (received text not yet matched). Past it the
    /// expect fails with <see cref="SshExpectBufferLimitException"/> rather than dropping text silently.
    /// Default <see cref="DefaultMaxBufferChars"/>.
    /// </summary>
    public int MaxBufferChars
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The bound must be positive.");
    } = DefaultMaxBufferChars;

    /// <summary>
    /// What <see cref="SshClientProcess.SendLineAsync"/> puts after the line. Null (the default):
    /// <c>"\r"</c> when the process has a pty (what the Enter key sends; the terminal turns it into a
    /// newline for line-reading programs, and devices' CLIs expect it), <c>"\n"</c> without one.
    /// </summary>
    public string? LineEnding { get; init; }

    /// <summary>The clock timeouts are measured on (tests pass a fake one). Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
