using System.Text;

namespace Rx.Ssh;

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
    private readonly byte[]? _textPrefix;
    private readonly int _textHeldBack;

    /// <summary>Data continuing its stream's text: <see cref="Text"/> starts with <paramref name="textPrefix"/> and leaves out the last <paramref name="textHeldBack"/> bytes.</summary>
    internal SshDataReceived(ReadOnlyMemory<byte> data, SshDataStream stream, byte[]? textPrefix, int textHeldBack)
        : this(data, stream)
    {
        _textPrefix = textPrefix;
        _textHeldBack = textHeldBack;
    }

    /// <summary>
    /// The data decoded as UTF-8, as part of its stream (stdout and stderr separately): a
    /// character split across two chunks appears whole in the text of the chunk where it ends,
    /// so concatenating the texts gives the stream's text. Invalid bytes decode as U+FFFD; an
    /// incomplete character at the very end of the stream is left out. Decoded on each read.
    /// </summary>
    public string Text
    {
        get
        {
            if (_textPrefix is null)
            {
                return Encoding.UTF8.GetString(Data.Span[..^_textHeldBack]);
            }

            byte[] whole = [.. _textPrefix, .. Data.Span];
            return Encoding.UTF8.GetString(whole, 0, whole.Length - _textHeldBack);
        }
    }
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
