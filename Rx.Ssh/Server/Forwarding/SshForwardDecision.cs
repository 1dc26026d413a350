namespace Rx.Ssh;

/// <summary>
/// What the server does with a direct forwarding request (<see cref="SshDirectForwardRequest"/>):
/// <see cref="Allow"/> connects to the destination itself and splices it with the channel,
/// <see cref="Handle"/> gives the accepted channel to the application (an in-process service),
/// <see cref="Refuse"/> answers OPEN_FAILURE with a reason code and text.
/// </summary>
public sealed class SshForwardDecision
{
    private SshForwardDecision(SshForwardDecisionKind kind, ChannelOpenFailureReason reason, string? message, Func<SshChannelStream, CancellationToken, Task>? handler)
    {
        Kind = kind;
        Reason = reason;
        Message = message;
        Handler = handler;
    }

    /// <summary>
    /// The server connects to the destination (TCP host and port, names resolved by the server, or
    /// the UNIX socket path) within <see cref="SshServerOptions.ForwardConnectTimeout"/>, then
    /// accepts the channel and copies both ways (half-close passed on); when the connection fails
    /// the channel is refused with CONNECT_FAILED and the reason as text.
    /// </summary>
    public static SshForwardDecision Allow { get; } = new(SshForwardDecisionKind.Allow, default, null, null);

    /// <summary>What to do.</summary>
    public SshForwardDecisionKind Kind { get; }

    /// <summary>For <see cref="SshForwardDecisionKind.Refuse"/>: the OPEN_FAILURE reason code.</summary>
    public ChannelOpenFailureReason Reason { get; }

    /// <summary>For <see cref="SshForwardDecisionKind.Refuse"/>: the text the client shows.</summary>
    public string? Message { get; }

    /// <summary>For <see cref="SshForwardDecisionKind.Handle"/>: the in-process service.</summary>
    public Func<SshChannelStream, CancellationToken, Task>? Handler { get; }

    /// <summary>Refuses the channel with <paramref name="reason"/> and <paramref name="message"/> (shown to the client: keep secrets out of it).</summary>
    /// <param name="reason">Usually <see cref="ChannelOpenFailureReason.AdministrativelyProhibited"/>.</param>
    /// <param name="message">A short human-readable text.</param>
    public static SshForwardDecision Refuse(ChannelOpenFailureReason reason, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new SshForwardDecision(SshForwardDecisionKind.Refuse, reason, message, null);
    }

    /// <summary>
    /// Accepts the channel and runs <paramref name="handler"/> on it, on the thread pool: the
    /// stream form reads and writes the <see cref="SshChannelStream"/>; the observable form
    /// subscribes to <see cref="SshChannelStream.Events"/> and writes replies to the stream. The
    /// server disposes the channel (closing it) when the returned task ends; a handler that throws
    /// closes it too (the exception is logged). The token is cancelled when the connection ends.
    /// </summary>
    /// <param name="handler">The service for this one channel.</param>
    public static SshForwardDecision Handle(Func<SshChannelStream, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return new SshForwardDecision(SshForwardDecisionKind.Handle, default, null, handler);
    }
}

/// <summary>The kinds of <see cref="SshForwardDecision"/>.</summary>
public enum SshForwardDecisionKind
{
    /// <summary>Refuse the channel (OPEN_FAILURE).</summary>
    Refuse,

    /// <summary>The server connects to the destination itself.</summary>
    Allow,

    /// <summary>The application serves the channel in process.</summary>
    Handle,
}
