namespace Rx.Ssh.Client;

/// <summary>
/// Keeps one output stream's UTF-8 character that a chunk boundary split: the bytes of an
/// incomplete last character are held back from a chunk's text and put in front of the next
/// chunk's, so the character decodes whole where it ends. Costs nothing for chunks that end on a
/// character boundary (the usual case).
/// </summary>
internal struct Utf8Continuation
{
    private byte[]? _carry;

    /// <summary>
    /// Takes the next chunk of the stream. Returns the bytes held back from the previous chunk
    /// that belong in front of this one (null when none) and how many bytes at the end of the whole
    /// (prefix + chunk) are an incomplete character, held back for the next chunk.
    /// </summary>
    public (byte[]? Prefix, int HeldBack) Next(ReadOnlySpan<byte> chunk)
    {
        byte[]? prefix = _carry;
        if (prefix is null)
        {
            int tail = IncompleteTail(chunk);
            _carry = tail == 0 ? null : chunk[^tail..].ToArray();
            return (null, tail);
        }

        byte[] whole = [.. prefix, .. chunk];
        int held = IncompleteTail(whole);
        _carry = held == 0 ? null : whole[^held..];
        return (prefix, held);
    }

    /// <summary>The number of bytes at the end of <paramref name="bytes"/> that start a UTF-8 sequence without finishing it.</summary>
    internal static int IncompleteTail(ReadOnlySpan<byte> bytes)
    {
        // A sequence is at most 4 bytes, so its lead byte is among the last 3 if it is unfinished.
        for (int back = 1; back <= Math.Min(3, bytes.Length); back++)
        {
            byte b = bytes[^back];
            if ((b & 0xC0) == 0x80)
            {
                continue; // a continuation byte: look further back for the lead
            }

            int length = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
            return length > back ? back : 0;
        }

        return 0; // only continuation bytes (or nothing): invalid or complete, the decoder decides
    }
}
