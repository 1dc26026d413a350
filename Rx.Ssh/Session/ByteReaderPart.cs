using System.Text;
using Rx.Ssh.Connection;

namespace Rx.Ssh.Session;

/// <summary>
/// A stream of raw bytes from the peer with the unread rule of <see cref="ChannelInput"/> (a
/// client process's stdout or stderr): text is decoded as UTF-8 (a character split across
/// chunks is kept whole) and lines are split on the bytes, capped at <c>maxLineLength</c> bytes.
/// </summary>
internal sealed class ByteReaderPart : ProcessReaderPart
{
    private readonly ChannelInput _input;
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();
    private readonly SshStandardStream _stream;
    private readonly int _maxLineLength;
    private bool _ended;

    /// <param name="channel">The channel whose window the data uses.</param>
    /// <param name="stream">Which stream this is (names and errors).</param>
    /// <param name="maxLineLength">The longest line <see cref="ReadLineCoreAsync"/> returns, in bytes.</param>
    /// <param name="maxUnreadBytes">Bytes held for the stream while nobody reads it before it is discarded.</param>
    public ByteReaderPart(SshChannel channel, SshStandardStream stream, int maxLineLength = int.MaxValue, long maxUnreadBytes = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLineLength);
        _stream = stream;
        _maxLineLength = maxLineLength;
        _input = new ChannelInput(channel, channel.WindowSize / 4, maxUnreadBytes, () => new SshOutputLimitException(stream, maxUnreadBytes, "while nobody read it, so it was discarded (read or redirect it earlier)"));
    }

    public override string Name => _stream switch
    {
        SshStandardStream.Stdout => "stdout",
        SshStandardStream.Stderr => "stderr",
        _ => "stdin",
    };

    public override bool AtEnd => _ended && _input.Length == 0;

    public override ChannelInput.Lease Enter() => _input.Enter(Name);

    public override void MarkRead() => _input.MarkRead();

    /// <summary>Queues a data event from the pump.</summary>
    public void Enqueue(in ChannelEvent e) => _input.Enqueue(e);

    /// <summary>No more data: the reader sees the end after what is queued (or <paramref name="error"/>).</summary>
    public void Complete(Exception? error = null) => _input.Complete(error);

    /// <summary>Returns the buffers of data never read (the process was disposed).</summary>
    public void ReleaseUnread() => _input.ReleaseUnread();

    public override async ValueTask<int> ReadBytesCoreAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (destination.IsEmpty || !await FillAsync(cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        int n = Math.Min(_input.Length, destination.Length);
        _input.Current[..n].CopyTo(destination.Span);
        _input.Advance(n);
        return n;
    }

    public override async ValueTask<ReadOnlyMemory<byte>> ReadChunkCoreAsync(CancellationToken cancellationToken)
    {
        if (!await FillAsync(cancellationToken).ConfigureAwait(false))
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        byte[] copy = _input.Current.ToArray();
        _input.Advance(copy.Length);
        return copy;
    }

    public override async Task CopyToCoreAsync(Stream destination, CancellationToken cancellationToken)
    {
        while (await FillAsync(cancellationToken).ConfigureAwait(false))
        {
            await destination.WriteAsync(_input.CurrentMemory, cancellationToken).ConfigureAwait(false);
            _input.Advance(_input.Length);
        }
    }

    public override async Task DiscardCoreAsync(CancellationToken cancellationToken)
    {
        while (await FillAsync(cancellationToken, allowDiscarded: true).ConfigureAwait(false))
        {
            _input.Advance(_input.Length);
        }
    }

    public override async ValueTask<string> ReadTextCoreAsync(int maxChars, CancellationToken cancellationToken)
    {
        while (await FillAsync(cancellationToken).ConfigureAwait(false))
        {
            string text = maxChars == int.MaxValue ? DecodeAll() : DecodeAtMost(maxChars);
            if (text.Length > 0)
            {
                return text;
            }
        }

        return Decode([], flush: true);
    }

    public override async ValueTask<string?> ReadLineCoreAsync(CancellationToken cancellationToken)
    {
        using var line = new MemoryStream();
        while (await FillAsync(cancellationToken).ConfigureAwait(false))
        {
            ReadOnlySpan<byte> available = _input.Current;
            int newline = available.IndexOf((byte)'\n');
            int content = newline >= 0 ? newline : available.Length;
            bool endsWithCr = content > 0 ? available[content - 1] == '\r' : line.Length > 0 && line.GetBuffer()[line.Length - 1] == '\r';
            if (line.Length + content - (endsWithCr ? 1 : 0) > _maxLineLength)
            {
                _input.Advance(content);
                throw new SshLineTooLongException(_stream, _maxLineLength);
            }

            if (newline >= 0)
            {
                line.Write(available[..newline]);
                _input.Advance(newline + 1);
                return TrimCr(line);
            }

            line.Write(available);
            _input.Advance(available.Length);
        }

        return line.Length == 0 ? null : TrimCr(line);
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken, bool allowDiscarded = false)
    {
        if (await _input.FillAsync(cancellationToken, allowDiscarded).ConfigureAwait(false))
        {
            return true;
        }

        _ended = true;
        return false;
    }

    /// <summary>Decodes the whole current chunk.</summary>
    private string DecodeAll()
    {
        string text = Decode(_input.Current, flush: false);
        _input.Advance(_input.Length);
        return text;
    }

    /// <summary>
    /// Decodes no more of the current chunk than gives <paramref name="maxChars"/> characters; the
    /// rest stays for the next read. A surrogate pair is never split: with a limit of one character
    /// it comes whole.
    /// </summary>
    private string DecodeAtMost(int maxChars)
    {
        char[] chars = new char[Math.Max(2, Math.Min(maxChars, _input.Length + 2))];
        if (maxChars >= 2)
        {
            _decoder.Convert(_input.Current, chars, flush: false, out int bytesUsed, out int charsUsed, out _);
            _input.Advance(bytesUsed);
            return new string(chars, 0, charsUsed);
        }

        // One character: feed a byte at a time until one (or a surrogate pair) comes out.
        while (_input.Length > 0)
        {
            _decoder.Convert(_input.Current[..1], chars, flush: false, out int bytesUsed, out int charsUsed, out _);
            _input.Advance(bytesUsed);
            if (charsUsed > 0)
            {
                return new string(chars, 0, charsUsed);
            }
        }

        return string.Empty;
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
