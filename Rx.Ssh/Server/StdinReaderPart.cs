using System.Text;
using Rx.Ssh.Connection;
using Rx.Ssh.Server.Editor;
using Rx.Ssh.Session;

namespace Rx.Ssh.Server;

/// <summary>
/// A server process's stdin (the server's half of <see cref="SshProcessReader"/>): the client's
/// bytes decoded as UTF-8 and, with the line editor (a pty was requested), edited (whole lines in
/// line mode, single keys in character mode, ctrl-D on an empty line ends the input, ctrl-C
/// interrupts). Lines are split on the text, capped at <see cref="SshServerOptions.MaxLineLength"/>
/// characters. Exact back-pressure from the start: the client gets window back only as input is read.
/// </summary>
internal sealed class StdinReaderPart : ProcessReaderPart
{
    private readonly ChannelInput _input;
    private readonly SshServerChannel _channel;
    private readonly Action _interrupt;
    private readonly CharQueue _text = new();
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly EditorSink _sink;
    private readonly int _maxLineLength;
    private readonly byte[] _partial = new byte[4];
    private int _partialOffset;
    private int _partialLength;
    private bool _eof;

    public StdinReaderPart(SshServerChannel channel, Action interrupt)
    {
        _channel = channel;
        _interrupt = interrupt;
        _sink = new EditorSink(this);
        _input = new ChannelInput(channel.Inner);
        _maxLineLength = channel.Connection.Options.MaxLineLength;
    }

    public override string Name => "stdin";

    public override bool AtEnd => _eof && _text.Length == 0 && _input.Length == 0 && _partialLength == 0;

    public override ChannelInput.Lease Enter() => _input.Enter(Name);

    /// <summary>Queues a data event from the pump; an EOF event ends the input.</summary>
    public void Enqueue(in ChannelEvent e)
    {
        if (e.Kind == ChannelEventKind.Eof)
        {
            _input.Complete();
        }
        else
        {
            _input.Enqueue(e);
        }
    }

    /// <summary>No more input (the channel closed).</summary>
    public void Complete() => _input.Complete();

    /// <summary>
    /// Without the line editor (and no text buffered by an earlier text read), writes each received
    /// chunk as it is: no buffer of its own, so a copy waiting on an idle client holds no memory.
    /// </summary>
    public override async Task CopyToCoreAsync(Stream destination, CancellationToken cancellationToken)
    {
        if (!IsRaw)
        {
            await base.CopyToCoreAsync(destination, cancellationToken).ConfigureAwait(false);
            return;
        }

        while (await NextRawAsync(cancellationToken).ConfigureAwait(false))
        {
            await destination.WriteAsync(_input.CurrentMemory, cancellationToken).ConfigureAwait(false);
            _input.Advance(_input.Length);
        }
    }

    /// <summary>As <see cref="CopyToCoreAsync"/>: without the line editor, drops each chunk where it is.</summary>
    public override async Task DiscardCoreAsync(CancellationToken cancellationToken)
    {
        if (!IsRaw)
        {
            await base.DiscardCoreAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        while (await NextRawAsync(cancellationToken).ConfigureAwait(false))
        {
            _input.Advance(_input.Length);
        }
    }

    /// <summary>
    /// Raw bytes (at least one unless at the end; a buffer smaller than a buffered character gets
    /// the character's first bytes, the rest comes next). Without the line editor these are the
    /// client's bytes unchanged; text already buffered by a text read comes first (as UTF-8).
    /// </summary>
    public override async ValueTask<int> ReadBytesCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            if (_partialLength > 0 || _text.Length > 0)
            {
                return TakeTextAsBytes(buffer.Span);
            }

            if (_input.Length > 0)
            {
                int n = Math.Min(_input.Length, buffer.Length);
                _input.Current[..n].CopyTo(buffer.Span);
                _input.Advance(n);
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

    public override async ValueTask<string?> ReadLineCoreAsync(CancellationToken cancellationToken)
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
            if (_text.Length > _maxLineLength)
            {
                // Drop what is held of the line (memory stays bounded); the next read goes on after it.
                _text.Skip(_text.Length);
                throw new SshLineTooLongException(SshStandardStream.Stdin, _maxLineLength);
            }

            if (_eof && _input.Length == 0)
            {
                return _text.Length == 0 ? null : _text.Take(_text.Length);
            }

            if (!await FillTextAsync(cancellationToken).ConfigureAwait(false))
            {
                searched = 0;
            }
        }
    }

    public override async ValueTask<string> ReadTextCoreAsync(int maxChars, CancellationToken cancellationToken)
    {
        while (_text.Length == 0 && !(_eof && _input.Length == 0))
        {
            await FillTextAsync(cancellationToken).ConfigureAwait(false);
        }

        return _text.Take(Math.Min(maxChars, _text.Length));
    }

    /// <summary>No editor and no decoded text waiting: the input's bytes are the client's bytes.</summary>
    private bool IsRaw => _channel.Editor is null && _partialLength == 0 && _text.Length == 0;

    /// <summary>Waits for received bytes in <see cref="_input"/>; false at the end.</summary>
    private async ValueTask<bool> NextRawAsync(CancellationToken cancellationToken)
    {
        while (_input.Length == 0)
        {
            if (_eof)
            {
                return false;
            }

            await FillRawAsync(cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Makes the next chunk current; sets EOF at the end.</summary>
    private async ValueTask FillRawAsync(CancellationToken cancellationToken)
    {
        if (!await _input.FillAsync(cancellationToken).ConfigureAwait(false))
        {
            _eof = true;
        }
    }

    /// <summary>Decodes (and edits) the next input into <see cref="_text"/>. Returns false when nothing new came (EOF).</summary>
    private async ValueTask<bool> FillTextAsync(CancellationToken cancellationToken)
    {
        if (_input.Length == 0)
        {
            await FillRawAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_input.Length == 0)
        {
            if (_eof)
            {
                Decode([], flush: true);
            }

            return false;
        }

        Decode(_input.Current, flush: false);
        _input.Advance(_input.Length);
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

    /// <summary>
    /// Moves as many whole characters of buffered text as fit into <paramref name="destination"/>, as
    /// UTF-8. When not even the first fits, its first bytes go out and the rest waits in
    /// <see cref="_partial"/> for the next read, so a read never returns 0 while input is buffered.
    /// </summary>
    private int TakeTextAsBytes(Span<byte> destination)
    {
        if (_partialLength > 0)
        {
            int n = Math.Min(_partialLength, destination.Length);
            _partial.AsSpan(_partialOffset, n).CopyTo(destination);
            _partialOffset += n;
            _partialLength -= n;
            return n;
        }

        ReadOnlySpan<char> text = _text.Span;
        int chars = 0;
        int bytes = 0;
        while (chars < text.Length)
        {
            int size = Utf8Size(text, chars, out int width);
            if (bytes + size > destination.Length)
            {
                break;
            }

            bytes += size;
            chars += width;
        }

        if (chars == 0)
        {
            // The first character is longer than the buffer: split it across reads.
            Utf8Size(text, 0, out int width);
            _partialLength = Encoding.UTF8.GetBytes(text[..width], _partial);
            _partialOffset = 0;
            _text.Skip(width);
            return TakeTextAsBytes(destination);
        }

        int written = Encoding.UTF8.GetBytes(text[..chars], destination);
        _text.Skip(chars);
        return written;
    }

    /// <summary>The UTF-8 length of the code point at <paramref name="index"/> (a lone surrogate becomes U+FFFD, 3 bytes); <paramref name="width"/> is 2 for a surrogate pair.</summary>
    private static int Utf8Size(ReadOnlySpan<char> text, int index, out int width)
    {
        char c = text[index];
        bool pair = char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]);
        width = pair ? 2 : 1;
        return pair ? 4 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }

    /// <summary>The line editor's hook: what it makes of the typed keys goes to this reader.</summary>
    private sealed class EditorSink(StdinReaderPart input) : ILineEditorSink
    {
        public void Echo(string terminalOutput) => input._channel.EchoRaw(terminalOutput);

        public void Input(string text) => input._text.Append(text);

        public void EndOfInput() => input._eof = true;

        public void Interrupt() => input._interrupt();
    }
}
