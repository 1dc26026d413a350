using System.Text;

namespace Rx.Ssh;

/// <summary>
/// A server process's stdout or stderr. The <c>*Async</c> methods wait until the data is handed
/// to the connection, so a client that reads slowly slows the writer (flow control);
/// <see cref="Write"/> queues without waiting (bounded: it throws when megabytes are already
/// waiting). Output to stdout and stderr keeps its order. With the line editor, text has
/// <c>\n</c> sent as <c>\r\n</c> and a partly typed input line is redrawn after it.
/// </summary>
public sealed class SshProcessOutput
{
    private readonly SshServerChannel _channel;
    private readonly uint? _dataType;

    internal SshProcessOutput(SshServerChannel channel, uint? dataType)
    {
        _channel = channel;
        _dataType = dataType;
    }

    /// <summary>Writes text and waits for it to be handed to the connection.</summary>
    public Task WriteAsync(string text, CancellationToken cancellationToken = default) =>
        _dataType is null ? _channel.WriteAsync(text, cancellationToken) : _channel.WriteStderrAsync(text, cancellationToken);

    /// <summary>Writes <paramref name="text"/> and a newline.</summary>
    public Task WriteLineAsync(string text = "", CancellationToken cancellationToken = default) => WriteAsync(text + "\n", cancellationToken);

    /// <summary>Writes raw bytes (no line-editor translation) and waits.</summary>
    public Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        _dataType is null ? _channel.WriteAsync(data, cancellationToken) : _channel.WriteStderrAsync(data, cancellationToken);

    /// <summary>Queues text without waiting (for broadcasts to many clients); see the class remarks for the bound.</summary>
    public void Write(string text)
    {
        if (_dataType is null)
        {
            _channel.Write(text);
        }
        else
        {
            _channel.WriteStderr(text);
        }
    }

    /// <summary>Copies <paramref name="source"/> to this output until it ends, following flow control.</summary>
    public Task CopyFromAsync(Stream source, CancellationToken cancellationToken = default) => CopyFromAsync(source, asText: false, cancellationToken);

    /// <summary>Copies <paramref name="source"/> as raw bytes, or with <paramref name="asText"/> decoded as UTF-8 and written as text (line-editor translation).</summary>
    internal async Task CopyFromAsync(Stream source, bool asText, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        byte[] buffer = new byte[32 * 1024];
        char[] chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
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
    }

    /// <summary>The output as a write-only <see cref="Stream"/> (raw bytes).</summary>
    public Stream AsStream() => new IO.WriteOnlyStreamAdapter(WriteAsync);

    /// <summary>An observer that writes each string it receives (for <c>Subscribe</c>); completion does nothing.</summary>
    public IObserver<string> AsObserver() => System.Reactive.Observer.Create<string>(Write);
}
