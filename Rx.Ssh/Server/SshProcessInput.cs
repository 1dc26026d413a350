using System.Reactive.Linq;
using System.Text;
using System.Threading.Channels;
using Rx.Ssh.Connection;
using Rx.Ssh.Server.Editor;

namespace Rx.Ssh;

/// <summary>
/// A server process's standard input: what the client sends, read as lines, characters, bytes,
/// an observable of lines, or a <see cref="Stream"/>. One reader at a time. The client gets more
/// window only as input is read here, so a process that stops reading stops the client (flow
/// control). With the line editor (a pty was requested), input is edited text: whole lines in
/// line mode, single keys in character mode, and ctrl-D on an empty line is end of input.
/// </summary>
public sealed class SshProcessInput
{
    private const int MaxLineLength = 1024 * 1024;
    private readonly Channel<ChannelEvent> _queue = Channel.CreateUnbounded<ChannelEvent>(new UnboundedChannelOptions { SingleWriter = true, SingleReader = true });
    private readonly SshServerChannel _channel;
    private readonly Action _interrupt;
    private readonly Server.CharQueue _text = new();
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly EditorSink _sink;
    private byte[]? _raw;
    private int _rawOffset;
    private int _rawLength;
    private bool _eof;

    internal SshProcessInput(SshServerChannel channel, Action interrupt)
    {
        _channel = channel;
        _interrupt = interrupt;
        _sink = new EditorSink(this);
    }

    /// <summary>True once end of input was read (and nothing is left).</summary>
    public bool AtEnd => _eof && _text.Length == 0 && _rawLength == 0;

    /// <summary>
    /// Lines of input without their line ending, until EOF. Cold: subscribing starts reading
    /// (one subscriber at a time); disposing stops reading. Compose with <c>TakeUntil(process.Breaks)</c>
    /// to stop at a break.
    /// </summary>
    public IObservable<string> Lines => Observable.Create<string>(async (observer, ct) =>
    {
        while (await ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            observer.OnNext(line);
        }

        observer.OnCompleted();
    });

    /// <summary>
    /// Input text as it arrives (decoded UTF-8; with the line editor, whole edited lines or single
    /// keys), until EOF. Cold: subscribing starts reading (one subscriber at a time); the client
    /// gets window back after each <c>OnNext</c> returns.
    /// </summary>
    public IObservable<string> Chunks => Observable.Create<string>(async (observer, ct) =>
    {
        string chunk;
        while ((chunk = await ReadAsync(int.MaxValue, ct).ConfigureAwait(false)).Length > 0)
        {
            observer.OnNext(chunk);
        }

        observer.OnCompleted();
    });

    /// <summary>Reads one line (without <c>\n</c> / <c>\r\n</c>); null at end of input. A last line without newline is returned as a line.</summary>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken = default)
    {
        int searched = 0;
        while (true)
        {
            int newline = _text.IndexOf('\n', searched);
            if (newline >= 0)
            {
                int end = newline > 0 && _text.Span[newline - 1] == '\r' ? newline - 1 : newline;
                string line = _text.Take(end);
                _text.Skip(newline + 1 - end);
                return line;
            }

            searched = _text.Length;
            if (_text.Length >= MaxLineLength || (_eof && _rawLength == 0))
            {
                if (_text.Length == 0)
                {
                    return null;
                }

                return _text.Take(_text.Length);
            }

            if (!await FillTextAsync(cancellationToken).ConfigureAwait(false))
            {
                searched = 0;
            }
        }
    }

    /// <summary>Reads up to <paramref name="maxChars"/> characters as soon as any are there; empty at end of input.</summary>
    public async ValueTask<string> ReadAsync(int maxChars = int.MaxValue, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxChars);
        while (_text.Length == 0 && !(_eof && _rawLength == 0))
        {
            await FillTextAsync(cancellationToken).ConfigureAwait(false);
        }

        return _text.Take(Math.Min(maxChars, _text.Length));
    }

    /// <summary>Reads everything up to end of input as text.</summary>
    public async Task<string> ReadToEndAsync(CancellationToken cancellationToken = default)
    {
        var all = new StringBuilder();
        string chunk;
        while ((chunk = await ReadAsync(int.MaxValue, cancellationToken).ConfigureAwait(false)).Length > 0)
        {
            all.Append(chunk);
        }

        return all.ToString();
    }

    /// <summary>
    /// Reads raw bytes into <paramref name="buffer"/>; 0 at end of input. Without the line editor
    /// these are the client's bytes unchanged; text already buffered by a text read comes first (as UTF-8).
    /// </summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            if (_text.Length > 0)
            {
                return TakeTextAsBytes(buffer.Span);
            }

            if (_rawLength > 0)
            {
                int n = Math.Min(_rawLength, buffer.Length);
                _raw.AsSpan(_rawOffset, n).CopyTo(buffer.Span);
                _rawOffset += n;
                _rawLength -= n;
                if (_rawLength == 0)
                {
                    ReleaseRaw(n);
                }
                else
                {
                    _channel.Inner.Consumed(n);
                }

                return n;
            }

            if (_eof)
            {
                return 0;
            }

            if (_channel.Editor is not null)
            {
                await FillTextAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await FillRawAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The input as a read-only <see cref="Stream"/> (for copying into files or other processes).</summary>
    public Stream AsStream() => new IO.ReadOnlyStreamAdapter(ReadAsync);

    internal void Enqueue(in ChannelEvent e)
    {
        if (!_queue.Writer.TryWrite(e) && e.Buffer is not null)
        {
            _channel.Inner.Consumed(e);
        }
    }

    internal void Complete()
    {
        _queue.Writer.TryComplete();
    }

    /// <summary>Pulls the next event into <see cref="_raw"/>; sets EOF at the end.</summary>
    private async ValueTask FillRawAsync(CancellationToken cancellationToken)
    {
        if (!await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            _eof = true;
            return;
        }

        if (!_queue.Reader.TryRead(out ChannelEvent e))
        {
            return;
        }

        if (e.Kind == ChannelEventKind.Eof)
        {
            _eof = true;
            return;
        }

        _raw = e.Buffer;
        _rawOffset = 0;
        _rawLength = e.Length;
    }

    /// <summary>Decodes (and edits) the next input into <see cref="_text"/>. Returns false when nothing new came (EOF).</summary>
    private async ValueTask<bool> FillTextAsync(CancellationToken cancellationToken)
    {
        if (_rawLength == 0)
        {
            await FillRawAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_rawLength == 0)
        {
            if (_eof)
            {
                Decode([], flush: true);
            }

            return false;
        }

        int n = _rawLength;
        Decode(_raw.AsSpan(_rawOffset, n), flush: false);
        _rawLength = 0;
        ReleaseRaw(n);
        return true;
    }

    private void Decode(ReadOnlySpan<byte> bytes, bool flush)
    {
        char[] chars = new char[_decoder.GetCharCount(bytes, flush)];
        int count = _decoder.GetChars(bytes, chars, flush);
        if (count == 0)
        {
            return;
        }

        if (_channel.Editor is { } editor)
        {
            lock (_channel.EditorGate)
            {
                editor.Process(chars.AsSpan(0, count), _sink);
            }
        }
        else
        {
            _text.Append(chars.AsSpan(0, count));
        }
    }

    private void ReleaseRaw(int lastBytes)
    {
        if (_raw is not null)
        {
            _channel.Inner.Consumed(new ChannelEvent(ChannelEventKind.Data, _raw, lastBytes));
            _raw = null;
        }
    }

    /// <summary>Moves as many whole characters of buffered text as fit into <paramref name="destination"/>, as UTF-8.</summary>
    private int TakeTextAsBytes(Span<byte> destination)
    {
        ReadOnlySpan<char> text = _text.Span;
        int chars = 0;
        int bytes = 0;
        while (chars < text.Length)
        {
            char c = text[chars];
            bool pair = char.IsHighSurrogate(c) && chars + 1 < text.Length && char.IsLowSurrogate(text[chars + 1]);

            // UTF-8 length of this code point; a lone surrogate becomes U+FFFD, 3 bytes.
            int size = pair ? 4 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            if (bytes + size > destination.Length)
            {
                break;
            }

            bytes += size;
            chars += pair ? 2 : 1;
        }

        int written = Encoding.UTF8.GetBytes(text[..chars], destination);
        _text.Skip(chars);
        return written;
    }

    private sealed class EditorSink(SshProcessInput input) : ILineEditorSink
    {
        public void Echo(string terminalOutput) => input._channel.EchoRaw(terminalOutput);

        public void Input(string text) => input._text.Append(text);

        public void EndOfInput() => input._eof = true;

        public void Interrupt() => input._interrupt();
    }
}
