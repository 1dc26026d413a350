using System.Text;

namespace Rx.Ssh.Sftp.Scp.Protocol;

/// <summary>
/// Buffered reads of an rcp byte stream: single bytes (acknowledgements), control lines with a
/// length bound, and file data. Not thread-safe: one copy reads at a time.
/// </summary>
internal sealed class ScpReader(Func<Memory<byte>, CancellationToken, ValueTask<int>> read)
{
    /// <summary>The longest control line accepted, its newline included.</summary>
    public const int MaxLineLength = 4096;

    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>The next byte, or -1 at the end of the stream.</summary>
    public async ValueTask<int> ReadByteAsync(CancellationToken cancellationToken)
    {
        if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
        {
            return -1;
        }

        return _buffer[_start++];
    }

    /// <summary>
    /// The rest of a line up to its newline (not included), strict UTF-8; null at the end of the
    /// stream before any byte.
    /// </summary>
    /// <exception cref="ScpProtocolException">The line is longer than <see cref="MaxLineLength"/>, ends without a newline or is not UTF-8.</exception>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new List<byte>(64);
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return line.Count == 0 ? null : throw new ScpProtocolException("Connection closed in the middle of a control line");
            }

            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            int take = (newline < 0 ? _end : newline) - _start;
            if (line.Count + take >= MaxLineLength)
            {
                throw new ScpProtocolException($"Control line longer than {MaxLineLength} bytes");
            }

            line.AddRange(_buffer.AsSpan(_start, take));
            _start += take;
            if (newline >= 0)
            {
                _start++;
                try
                {
                    return new UTF8Encoding(false, true).GetString([.. line]);
                }
                catch (DecoderFallbackException ex)
                {
                    throw new ScpProtocolException("Control line is not valid UTF-8", ex);
                }
            }
        }
    }

    /// <summary>Reads exactly <paramref name="length"/> bytes, handing each piece to <paramref name="sink"/> (its memory valid only during the call).</summary>
    /// <exception cref="ScpProtocolException">The stream ends first.</exception>
    public async ValueTask ReadDataAsync(long length, Func<ReadOnlyMemory<byte>, ValueTask> sink, CancellationToken cancellationToken)
    {
        while (length > 0)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new ScpProtocolException($"Connection closed with {length} bytes of the file still to come");
            }

            int take = (int)Math.Min(length, _end - _start);
            await sink(_buffer.AsMemory(_start, take)).ConfigureAwait(false);
            _start += take;
            length -= take;
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await read(_buffer, cancellationToken).ConfigureAwait(false);
        return _end > 0;
    }
}
