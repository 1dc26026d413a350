using System.IO.Pipelines;
using System.Reactive.Linq;
using System.Text;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Session;

namespace Rx.Ssh;

/// <summary>
/// One outgoing stream of a process's session: a client process's <see cref="SshClientProcess.Stdin"/>
/// (what the remote process reads), or a server process's <see cref="SshServerProcess.Stdout"/> or
/// <see cref="SshServerProcess.Stderr"/> (what the client reads). Every member works in both roles.
/// </summary>
/// <remarks>
/// <para>The <c>*Async</c> methods wait until the data is handed to the connection, and that waits
/// for the peer's window, so a peer that reads slowly slows the writer (flow control).
/// <see cref="Write"/> (and <see cref="AsObserver"/>) queue without waiting, bounded by
/// <see cref="SshChannelSettings.MaxQueuedOutputBytes"/> (8 MiB by default): past it they throw
/// <see cref="SshChannelException"/>. Writes keep their call order, and on a server stdout and
/// stderr keep their order with each other. Use one writer at a time for a given order.</para>
/// <para>Text is UTF-8. On a server process with the line editor (a pty was requested), text has
/// <c>\n</c> sent as <c>\r\n</c> and a partly typed input line is redrawn after it; bytes pass unchanged.</para>
/// <para>End of stream: <see cref="CloseAsync"/> sends EOF. On a client process's stdin the process
/// sees its input end. On a server EOF belongs to the channel, so it ends stdout and stderr together
/// (exiting sends it anyway). The copies (<c>CopyFromAsync</c>, <c>WriteFromAsync</c>) end the stream
/// after the source when <c>sendEof</c> says so; left null it is the role's default: true on a
/// client's stdin, false on a server's output.</para>
/// <para>There is nothing to dispose: the stream ends with the process.</para>
/// </remarks>
public sealed class SshProcessWriter
{
    private readonly ProcessWriterPart _part;

    internal SshProcessWriter(ProcessWriterPart part)
    {
        _part = part;
    }

    /// <summary>Writes bytes (unchanged, also with the line editor); completes when they are handed to the connection.</summary>
    public Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) => _part.WriteAsync(data, cancellationToken);

    /// <summary>Writes text; completes when it is handed to the connection.</summary>
    public Task WriteAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _part.WriteAsync(text, cancellationToken);
    }

    /// <summary>Writes <paramref name="text"/> and <c>\n</c>.</summary>
    public Task WriteLineAsync(string text = "", CancellationToken cancellationToken = default) => WriteAsync(text + "\n", cancellationToken);

    /// <summary>Queues text without waiting (for broadcasts to many peers); see the remarks for the bound. A write that fails later (the channel closed) is dropped.</summary>
    /// <exception cref="SshChannelException">Too much output is already queued.</exception>
    public void Write(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _part.Write(text);
    }

    /// <summary>Sends EOF after what is queued (see the remarks for what it ends in each role).</summary>
    public Task CloseAsync(CancellationToken cancellationToken = default) => _part.SendEofAsync(cancellationToken);

    /// <summary>
    /// Copies <paramref name="source"/> as raw bytes to its end, each write awaited before the next
    /// read, then sends EOF if <paramref name="sendEof"/> says so (null: the role's default, see the remarks).
    /// </summary>
    public Task CopyFromAsync(Stream source, bool? sendEof = null, CancellationToken cancellationToken = default) =>
        CopyFromAsync(source, asText: false, sendEof, cancellationToken);

    /// <summary>The same as <see cref="CopyFromAsync(Stream, bool?, CancellationToken)"/> with the role's default for EOF.</summary>
    public Task CopyFromAsync(Stream source, CancellationToken cancellationToken) => CopyFromAsync(source, asText: false, null, cancellationToken);

    /// <summary>Copies everything <paramref name="source"/> yields, then sends EOF if <paramref name="sendEof"/> says so (null: the role's default).</summary>
    public async Task CopyFromAsync(PipeReader source, bool? sendEof = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        while (true)
        {
            ReadResult result = await source.ReadAsync(cancellationToken).ConfigureAwait(false);
            foreach (ReadOnlyMemory<byte> segment in result.Buffer)
            {
                await WriteAsync(segment, cancellationToken).ConfigureAwait(false);
            }

            source.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                break;
            }
        }

        await EndAsync(sendEof, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes each chunk <paramref name="source"/> emits, in order, then EOF when it completes if
    /// <paramref name="sendEof"/> says so (null: the role's default). Subscribes at once. Memory stays
    /// bounded whatever the source's pace: chunks are copied into a queue of at most
    /// <see cref="SshChannelSettings.MaxQueuedOutputBytes"/> (8 MiB by default), drained as the
    /// peer's window allows; when the queue is full, <c>OnNext</c> blocks the emitting thread until
    /// there is room (an observable's only back-pressure, as <see cref="SshSource.FromObservable(IObservable{ReadOnlyMemory{byte}})"/>),
    /// so a hot source is slowed to the channel's pace and nothing is dropped. Emit from a thread
    /// that may block (not the connection's own callbacks); a source that must never block should
    /// be buffered by the caller or written with <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>.
    /// One chunk larger than the bound is taken alone. The task fails with the source's error (the
    /// queued chunks are dropped and no EOF is sent), or with the channel's; cancelling
    /// <paramref name="cancellationToken"/> unsubscribes and releases a blocked emitter.
    /// </summary>
    public async Task WriteFromAsync(IObservable<ReadOnlyMemory<byte>> source, bool? sendEof = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var queue = new IO.BoundedChunkQueue(_part.MaxQueuedBytes);

        // The drain starts first: a source that emits while subscribing may fill the queue and block there.
        Task drain = DrainAsync(queue, cancellationToken);
        IDisposable subscription;
        try
        {
            subscription = source.Subscribe(queue);
        }
        catch (Exception ex)
        {
            queue.OnError(ex);
            subscription = System.Reactive.Disposables.Disposable.Empty;
        }

        using (subscription)
        {
            await drain.ConfigureAwait(false);
        }

        await EndAsync(sendEof, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes each string <paramref name="source"/> emits as UTF-8 bytes, as the byte overload does (no line-editor translation: use <see cref="AsObserver"/> for edited text).</summary>
    public Task WriteFromAsync(IObservable<string> source, bool? sendEof = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return WriteFromAsync(source.Select(s => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(s)), sendEof, cancellationToken);
    }

    /// <summary>
    /// The stream as a write-only <see cref="Stream"/> (raw bytes). Disposing it ends the stream as
    /// a copy does by default: EOF on a client's stdin, nothing on a server's output.
    /// </summary>
    public Stream AsStream() => new IO.WriteOnlyStreamAdapter(WriteAsync, _part.EndsAfterCopy ? CloseQuietly : null);

    /// <summary>An observer that writes each string it receives with <see cref="Write"/> (for <c>Subscribe</c>); completion and errors do nothing.</summary>
    public IObserver<string> AsObserver() => System.Reactive.Observer.Create<string>(Write);

    /// <summary>Copies <paramref name="source"/> as raw bytes, or with <paramref name="asText"/> decoded as UTF-8 and written as text (line-editor translation).</summary>
    internal async Task CopyFromAsync(Stream source, bool asText, bool? sendEof, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        byte[] buffer = new byte[64 * 1024];
        char[] chars = asText ? new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)] : [];
        Decoder decoder = Encoding.UTF8.GetDecoder(); // a character split between two reads is kept for the next
        int n;
        while ((n = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (!asText)
            {
                await WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }
            else if (decoder.GetChars(buffer, 0, n, chars, 0, flush: false) is int count and > 0)
            {
                await WriteAsync(new string(chars, 0, count), cancellationToken).ConfigureAwait(false);
            }
        }

        if (asText && decoder.GetChars([], 0, 0, chars, 0, flush: true) is int last and > 0)
        {
            await WriteAsync(new string(chars, 0, last), cancellationToken).ConfigureAwait(false);
        }

        await EndAsync(sendEof, cancellationToken).ConfigureAwait(false);
    }

    private Task EndAsync(bool? sendEof, CancellationToken cancellationToken) =>
        (sendEof ?? _part.EndsAfterCopy) ? CloseAsync(cancellationToken) : Task.CompletedTask;

    private void CloseQuietly()
    {
        try
        {
            CloseAsync().GetAwaiter().GetResult();
        }
        catch (SshException)
        {
            // The channel is gone; there is no stream left to end.
        }
    }

    private async Task DrainAsync(IO.BoundedChunkQueue queue, CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding); // to the pool: the caller goes on to subscribe
        long written = 0;
        try
        {
            while (await queue.TakeAsync(cancellationToken).ConfigureAwait(false) is { } chunk)
            {
                try
                {
                    await WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                    written += chunk.Length;
                }
                finally
                {
                    queue.Written(chunk.Length);
                }
            }
        }
        finally
        {
            queue.Stop();
            Connection.SshChannel channel = _part.Channel;
            channel.Connection.Loggers.Connection.LogDebug(
                SshLogEvents.Connection.WriteFromDone,
                "Channel {Channel}: wrote {Bytes} bytes from an observable, at most {Queued} of them queued at once",
                channel.LocalId,
                written,
                queue.PeakBytes);
        }
    }
}
