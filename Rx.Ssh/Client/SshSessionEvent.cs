using System.Text;

namespace Rx.Ssh;

/// <summary>Which output stream data came from.</summary>
public enum SshDataStream
{
    /// <summary>Standard output (CHANNEL_DATA).</summary>
    Stdout,

    /// <summary>Standard error (CHANNEL_EXTENDED_DATA type 1).</summary>
    Stderr,
}

/// <summary>Something that happened on a session channel, in the order it happened.</summary>
public abstract record SshSessionEvent;

/// <summary>
/// Output arrived. The event owns its bytes, so it may be kept, buffered or passed across
/// threads. Returning from <c>OnNext</c> is what gives the peer window to send more, so a slow
/// observer slows the remote process (flow control); <c>ObserveOn</c> queues without bound and
/// removes that pressure.
/// </summary>
/// <param name="Data">The bytes.</param>
/// <param name="Stream">Stdout or stderr.</param>
public sealed record SshDataReceived(ReadOnlyMemory<byte> Data, SshDataStream Stream) : SshSessionEvent
{
    /// <summary>The data decoded as UTF-8 (a multi-byte character split across chunks decodes as U+FFFD).</summary>
    public string Text => Encoding.UTF8.GetString(Data.Span);
}

/// <summary>The remote side will send no more data (EOF).</summary>
public sealed record SshEofReceived : SshSessionEvent;

/// <summary>The remote process exited with <paramref name="ExitStatus"/>.</summary>
/// <param name="ExitStatus">The exit status.</param>
public sealed record SshExitStatusReceived(int ExitStatus) : SshSessionEvent;

/// <summary>The remote process was killed by a signal.</summary>
/// <param name="Signal">Signal name without <c>SIG</c> (e.g. <c>TERM</c>).</param>
/// <param name="CoreDumped">Whether a core was dumped.</param>
/// <param name="Message">The server's message, often empty.</param>
public sealed record SshExitSignalReceived(string Signal, bool CoreDumped, string Message) : SshSessionEvent;

/// <summary>The channel closed; the sequence completes right after this event.</summary>
public sealed record SshSessionClosed : SshSessionEvent;
