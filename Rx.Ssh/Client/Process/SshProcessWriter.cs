using System.IO.Pipelines;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using Rx.Ssh.Connection;

namespace Rx.Ssh;

/// <summary>
/// A remote process's stdin. Writes wait for the server's window (flow control) and keep their
/// order; use one writer at a time. <see cref="CloseAsync"/> sends EOF.
/// </summary>
public sealed class SshProcessWriter
{
    private readonly SshChannel _channel;
    private readonly long _maxQueuedBytes;

    internal SshProcessWriter(SshChannel channel, long maxQueuedBytes)
    {
        _channel = channel;
        _maxQueuedBytes = maxQueuedBytes;
    }

    /// <summary>The most bytes a <see cref="WriteFromAsync(IObservable{ReadOnlyMemory{byte}}, bool, CancellationToken)"/> source ever had queued (tests and diagnostics).</summary>
    internal long PeakQueuedBytes { get; private set; }

    /// <summary>Writes bytes; completes when they are handed to the connection.</summary>
    public Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        _channel.WriteAsync(data, null, cancellationToken).AsTask();

    /// <summary>Writes text as UTF-8.</summary>
    public Task WriteAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
    }

    /// <summary>Writes text and <c>\n</c>.</summary>
    public Task WriteLineAsync(string text, CancellationToken cancellationToken = default) => WriteAsync(text + "\n", cancellationToken);

    /// <summary>Sends EOF: the process sees the end of its input.</summary>
    public Task CloseAsync(CancellationToken cancellationToken = default) => _channel.SendEofAsync(cancellationToken).AsTask();

    /// <summary>Copies <paramref name="source"/> to the end, then sends EOF unless <paramref name="sendEof"/> is false.</summary>
    public async Task CopyFromAsync(Stream source, bool sendEof = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
        }

        if (sendEof)
        {
            await CloseAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Copies everything <paramref name="source"/> yields, then sends EOF unless <paramref name="sendEof"/> is false.</summary>
    public async Task CopyFromAsync(PipeReader source, bool sendEof = true, CancellationToken cancellationToken = default)
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

        if (sendEof)
        {
            await CloseAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes each chunk <paramref name="source"/> emits, in order, then EOF when it completes
    /// (unless <paramref name="sendEof"/> is false). Subscribes at once. Memory stays bounded
    /// whatever the source's pace: chunks are copied into a queue of at most
    /// <see cref="SshChannelSettings.MaxQueuedOutputBytes"/> (8 MiB by default), drained as the
    /// server's window allows; when the queue is full, <c>OnNext</c> blocks the emitting thread until
    /// there is room (an observable's only back-pressure, as <see cref="SshSource.FromObservable(IObservable{ReadOnlyMemory{byte}})"/>),
    /// so a hot source is slowed to the channel's pace and nothing is dropped. Emit from a thread
    /// that may block (not the connection's own callbacks); a source that must never block should
    /// be buffered by the caller or written with <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>.
    /// One chunk larger than the bound is taken alone. The task fails with the source's error (the
    /// queued chunks are dropped and no EOF is sent), or with the channel's; cancelling
    /// <paramref name="cancellationToken"/> unsubscribes and releases a blocked emitter.
    /// </summary>
    public async Task WriteFromAsync(IObservable<ReadOnlyMemory<byte>> source, bool sendEof = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var queue = new IO.BoundedChunkQueue(_maxQueuedBytes);

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

        if (sendEof)
        {
            await CloseAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DrainAsync(IO.BoundedChunkQueue queue, CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding); // to the pool: the caller goes on to subscribe
        try
        {
            while (await queue.TakeAsync(cancellationToken).ConfigureAwait(false) is { } chunk)
            {
                try
                {
                    await WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
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
            PeakQueuedBytes = Math.Max(PeakQueuedBytes, queue.PeakBytes);
        }
    }

    /// <summary>Writes each string <paramref name="source"/> emits as UTF-8; see the byte overload.</summary>
    public Task WriteFromAsync(IObservable<string> source, bool sendEof = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return WriteFromAsync(source.Select(s => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(s)), sendEof, cancellationToken);
    }

    /// <summary>Stdin as a write-only <see cref="Stream"/>; disposing it sends EOF.</summary>
    public Stream AsStream() => new IO.WriteOnlyStreamAdapter(WriteAsync, () =>
    {
        try
        {
            CloseAsync().GetAwaiter().GetResult();
        }
        catch (SshException)
        {
            // The channel is gone; there is no input left to end.
        }
    });
}
