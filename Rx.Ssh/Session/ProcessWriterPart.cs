namespace Rx.Ssh.Session;

/// <summary>
/// The role's half of an <see cref="SshProcessWriter"/>: how one outgoing stream of a session
/// channel is written. A client process's stdin sends raw bytes (<see cref="ChannelWriterPart"/>);
/// a server process's stdout and stderr send text through the line editor when it is on (the
/// server's part). Every write goes out in call order with the channel's other output.
/// </summary>
internal abstract class ProcessWriterPart
{
    /// <summary>
    /// Whether copies end the stream with EOF unless told otherwise: true for a client's stdin (the
    /// process sees its input end), false for a server's output (EOF there ends stdout and stderr
    /// together; exiting sends it).
    /// </summary>
    public abstract bool EndsAfterCopy { get; }

    /// <summary>The channel written to (its id and loggers).</summary>
    public abstract Connection.SshChannel Channel { get; }

    /// <summary>The most bytes a <c>WriteFromAsync</c> source may have queued.</summary>
    public abstract long MaxQueuedBytes { get; }

    /// <summary>Writes raw bytes; completes when they are handed to the connection.</summary>
    public abstract Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    /// <summary>Writes text (UTF-8, through the line editor when on); completes when it is handed to the connection.</summary>
    public abstract Task WriteAsync(string text, CancellationToken cancellationToken);

    /// <summary>Queues text without waiting; throws when too much is already queued.</summary>
    public abstract void Write(string text);

    /// <summary>Sends EOF after everything queued.</summary>
    public abstract Task SendEofAsync(CancellationToken cancellationToken);
}
