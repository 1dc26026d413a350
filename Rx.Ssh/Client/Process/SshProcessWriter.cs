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

    internal SshProcessWriter(SshChannel channel) => _channel = channel;

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
    /// Writes each chunk <paramref name="source"/> emits, one after the other (the source is
    /// consumed as fast as the window allows: an observable has no back-pressure, so chunks
    /// emitted faster are queued), then EOF when it completes. The task fails with the source's error.
    /// </summary>
    public Task WriteFromAsync(IObservable<ReadOnlyMemory<byte>> source, bool sendEof = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source
            .Select(chunk => Observable.FromAsync(ct => WriteAsync(chunk, ct)))
            .Concat()
            .LastOrDefaultAsync()
            .SelectMany(_ => sendEof ? Observable.FromAsync(ct => CloseAsync(ct)) : Observable.Return(System.Reactive.Unit.Default))
            .ToTask(cancellationToken);
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
