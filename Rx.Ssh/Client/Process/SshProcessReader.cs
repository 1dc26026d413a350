using System.Reactive.Linq;
using System.Text;
using System.Threading.Channels;
using Rx.Ssh.Connection;

namespace Rx.Ssh;

/// <summary>
/// A remote process's stdout or stderr, read as bytes, text, lines, observables or a
/// <see cref="Stream"/>. One reader at a time. Data stays in the channel's buffers until read
/// here, and the server gets window back only then: a reader that stops stops the remote
/// process (flow control). stdout and stderr share the channel's window, so read (or
/// <see cref="DiscardAsync"/>) both.
/// </summary>
public sealed class SshProcessReader
{
    private readonly SshChannel _channel;
    private readonly Channel<ChannelEvent> _queue = Channel.CreateUnbounded<ChannelEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private byte[]? _buffer;
    private int _offset;
    private int _length;
    private readonly SshDataStream _stream;
    private readonly int _maxLineLength;
    private bool _ended;

    internal SshProcessReader(SshChannel channel, SshDataStream stream = SshDataStream.Stdout, int maxLineLength = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLineLength);
        _channel = channel;
        _stream = stream;
        _maxLineLength = maxLineLength;
    }

    /// <summary>
    /// The data as it arrives, each chunk copied into its own array (safe to keep). Cold: subscribing
    /// starts reading (one subscriber at a time); window goes back after each <c>OnNext</c>.
    /// </summary>
    public IObservable<ReadOnlyMemory<byte>> Data => Observable.Create<ReadOnlyMemory<byte>>(async (observer, ct) =>
    {
        while (await FillAsync(ct).ConfigureAwait(false))
        {
            byte[] copy = _buffer.AsSpan(_offset, _length).ToArray();
            Advance(_length);
            observer.OnNext(copy);
        }

        observer.OnCompleted();
    });

    /// <summary>The data decoded as UTF-8 text chunks as it arrives (characters split across chunks are kept whole). Cold, like <see cref="Data"/>.</summary>
    public IObservable<string> Text => Observable.Create<string>(async (observer, ct) =>
    {
        string chunk;
        while ((chunk = await ReadTextAsync(ct).ConfigureAwait(false)).Length > 0)
        {
            observer.OnNext(chunk);
        }

        observer.OnCompleted();
    });

    /// <summary>Lines of UTF-8 text without their line endings, until EOF. Cold, like <see cref="Data"/>.</summary>
    public IObservable<string> Lines => Observable.Create<string>(async (observer, ct) =>
    {
        while (await ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            observer.OnNext(line);
        }

        observer.OnCompleted();
    });

    /// <summary>Reads bytes into <paramref name="destination"/>; 0 at end of output.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (destination.IsEmpty || !await FillAsync(cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        int n = Math.Min(_length, destination.Length);
        _buffer.AsSpan(_offset, n).CopyTo(destination.Span);
        Advance(n);
        return n;
    }

    /// <summary>Reads what is there (waiting for at least one character) as UTF-8 text; empty at end of output.</summary>
    public async ValueTask<string> ReadTextAsync(CancellationToken cancellationToken = default)
    {
        while (await FillAsync(cancellationToken).ConfigureAwait(false))
        {
            string text = Decode(_buffer.AsSpan(_offset, _length), flush: false);
            Advance(_length);
            if (text.Length > 0)
            {
                return text;
            }
        }

        return Decode([], flush: true);
    }

    /// <summary>
    /// Reads one line of UTF-8 text (without <c>\n</c> or <c>\r\n</c>); null at end of output. A last
    /// line without newline is returned. A line longer than <see cref="SshProcessOptions.MaxLineLength"/>
    /// bytes fails with <see cref="SshOutputLimitException"/> once that much is read (those bytes are
    /// dropped; the next read goes on from there), so a server cannot grow one line without bound.
    /// </summary>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken = default)
    {
        using var line = new MemoryStream();
        while (await FillAsync(cancellationToken).ConfigureAwait(false))
        {
            ReadOnlySpan<byte> available = _buffer.AsSpan(_offset, _length);
            int newline = available.IndexOf((byte)'\n');
            int content = newline >= 0 ? newline : available.Length;
            bool endsWithCr = content > 0 ? available[content - 1] == '\r' : line.Length > 0 && line.GetBuffer()[line.Length - 1] == '\r';
            if (line.Length + content - (endsWithCr ? 1 : 0) > _maxLineLength)
            {
                Advance(content);
                throw new SshOutputLimitException(_stream, _maxLineLength, "in one line");
            }

            if (newline >= 0)
            {
                line.Write(available[..newline]);
                Advance(newline + 1);
                return TrimCr(line);
            }

            line.Write(available);
            Advance(_length);
        }

        return line.Length == 0 ? null : TrimCr(line);
    }

    /// <summary>Reads everything up to end of output as UTF-8 text.</summary>
    public async Task<string> ReadToEndAsync(CancellationToken cancellationToken = default)
    {
        var all = new StringBuilder();
        string chunk;
        while ((chunk = await ReadTextAsync(cancellationToken).ConfigureAwait(false)).Length > 0)
        {
            all.Append(chunk);
        }

        return all.ToString();
    }

    /// <summary>Copies everything up to end of output into <paramref name="destination"/>, following flow control.</summary>
    public async Task CopyToAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        while (await FillAsync(cancellationToken).ConfigureAwait(false))
        {
            await destination.WriteAsync(_buffer.AsMemory(_offset, _length), cancellationToken).ConfigureAwait(false);
            Advance(_length);
        }
    }

    /// <summary>Reads and drops everything up to end of output (so the other stream keeps flowing).</summary>
    public async Task DiscardAsync(CancellationToken cancellationToken = default)
    {
        while (await FillAsync(cancellationToken).ConfigureAwait(false))
        {
            Advance(_length);
        }
    }

    /// <summary>The output as a read-only <see cref="Stream"/>.</summary>
    public Stream AsStream() => new IO.ReadOnlyStreamAdapter(ReadAsync);

    internal void Enqueue(in ChannelEvent e)
    {
        if (!_queue.Writer.TryWrite(e))
        {
            _channel.Consumed(e);
        }
    }

    internal void Complete(Exception? error = null) => _queue.Writer.TryComplete(error);

    /// <summary>Returns the buffers of data never read (the process was disposed).</summary>
    internal void ReleaseUnread()
    {
        if (_buffer is not null)
        {
            Advance(_length);
        }

        while (_queue.Reader.TryRead(out ChannelEvent e))
        {
            _channel.Consumed(e);
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        while (_length == 0)
        {
            if (_ended)
            {
                return false;
            }

            if (!await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                _ended = true;
                return false;
            }

            if (_queue.Reader.TryRead(out ChannelEvent e))
            {
                _buffer = e.Buffer;
                _offset = 0;
                _length = e.Length;
            }
        }

        return true;
    }

    private void Advance(int count)
    {
        _offset += count;
        _length -= count;
        if (_length == 0)
        {
            // The whole chunk is read: return its pooled buffer and the window it used.
            _channel.Consumed(new ChannelEvent(ChannelEventKind.Data, _buffer, _offset));
            _buffer = null;
        }
    }

    private string Decode(ReadOnlySpan<byte> bytes, bool flush)
    {
        char[] chars = new char[_decoder.GetCharCount(bytes, flush)];
        int n = _decoder.GetChars(bytes, chars, flush);
        return new string(chars, 0, n);
    }

    private static string TrimCr(MemoryStream line)
    {
        ReadOnlySpan<byte> bytes = line.GetBuffer().AsSpan(0, (int)line.Length);
        if (bytes.Length > 0 && bytes[^1] == '\r')
        {
            bytes = bytes[..^1];
        }

        return Encoding.UTF8.GetString(bytes);
    }
}
