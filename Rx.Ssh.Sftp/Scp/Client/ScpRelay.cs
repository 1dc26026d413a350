using Rx.Ssh.Sftp.Scp.Protocol;
using Rx.Ssh.Sftp.Transfers;

namespace Rx.Ssh.Sftp.Scp.Client;

/// <summary>
/// Streams one rcp conversation from a source peer (<c>scp -f</c>) to a sink peer
/// (<c>scp -t</c>) through this process, never staging on disk: each control line from the
/// source is parsed strictly (a name with <c>/</c> or <c>..</c> ends the copy) and passed on,
/// acknowledgements go back, file data is relayed counting exactly the announced size (a source
/// that stops early or sends more is a protocol error, and the sink is told the file failed).
/// Errors are collected: a warning lets the other files go on, a fatal line or a violation stops.
/// </summary>
internal sealed class ScpRelay(ScpPeer source, ScpPeer sink, ProgressTracker progress)
{
    private readonly ScpReader _fromSource = new(source.ReadAsync);
    private readonly ScpReader _fromSink = new(sink.ReadAsync);
    private readonly List<string> _errors = [];
    private bool _fatal;
    private bool _sinkInData;

    /// <summary>The errors reported, in order.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>Whether the copy stopped early.</summary>
    public bool Fatal => _fatal;

    /// <summary>Runs the conversation to its end.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await ReadAckAsync(_fromSink, cancellationToken).ConfigureAwait(false) is { } refused)
            {
                Fail(refused, fatal: true);
                return;
            }

            await source.WriteAsync("\0", cancellationToken).ConfigureAwait(false);
            await RelayRecordsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ScpProtocolException ex)
        {
            Fail(ex.Message, fatal: true);
            await TryWriteAsync(source, "\x02scp: " + ex.Message + "\n").ConfigureAwait(false);
            if (!_sinkInData)
            {
                // In the middle of a file's data any byte would be taken as data: the sink is left
                // to see its input end there instead (and drop the partial file).
                await TryWriteAsync(sink, "\x02scp: " + ex.Message + "\n").ConfigureAwait(false);
            }
        }
    }

    private async Task RelayRecordsAsync(CancellationToken cancellationToken)
    {
        int depth = 0;
        while (true)
        {
            int first = await _fromSource.ReadByteAsync(cancellationToken).ConfigureAwait(false);
            if (first < 0)
            {
                if (depth != 0)
                {
                    throw new ScpProtocolException("source ended inside a directory");
                }

                return;
            }

            string rest = await _fromSource.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? string.Empty;
            if (first is 1 or 2)
            {
                // The source could not send a file (or stopped): tell the sink, keep the text.
                Fail(rest, fatal: first == 2);
                await sink.WriteAsync((char)first + rest + "\n", cancellationToken).ConfigureAwait(false);
                if (first == 2)
                {
                    return;
                }

                continue;
            }

            ScpControlLine line = ScpControlLine.Parse((char)first + rest);
            if (line.Kind == ScpLineKind.EndDirectory && --depth < 0)
            {
                throw new ScpProtocolException("unexpected E line");
            }

            await sink.WriteAsync(line.Format(), cancellationToken).ConfigureAwait(false);
            string? refused = await ReadAckAsync(_fromSink, cancellationToken).ConfigureAwait(false);
            if (refused is not null)
            {
                // The sink refused the record: the source skips it (no data follows for a C line).
                Fail(refused, fatal: false);
                await source.WriteAsync("\x01" + refused + "\n", cancellationToken).ConfigureAwait(false);
                continue;
            }

            await source.WriteAsync("\0", cancellationToken).ConfigureAwait(false);
            if (line.Kind == ScpLineKind.Directory)
            {
                depth++;
            }
            else if (line.Kind == ScpLineKind.File)
            {
                await RelayFileAsync(line, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RelayFileAsync(ScpControlLine line, CancellationToken cancellationToken)
    {
        progress.AddTotal(line.Size);
        progress.Starting(line.Name);
        _sinkInData = line.Size > 0;
        try
        {
            await _fromSource.ReadDataAsync(line.Size, async data =>
            {
                await sink.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                progress.Add(data.Length, line.Name);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (ScpProtocolException ex)
        {
            throw new ScpProtocolException($"{line.Name}: file shorter than announced ({ex.Message})", ex);
        }

        _sinkInData = false;

        // After the data: the source's verdict on the file (0, or a warning when reading it failed).
        int verdict = await _fromSource.ReadByteAsync(cancellationToken).ConfigureAwait(false);
        if (verdict is not (0 or 1 or 2))
        {
            // More bytes than announced: the sink must not keep the file as if complete.
            await TryWriteAsync(sink, $"\x01scp: {line.Name}: file longer than announced\n").ConfigureAwait(false);
            throw new ScpProtocolException(verdict < 0 ? $"{line.Name}: connection closed after the file's data" : $"{line.Name}: file longer than announced");
        }

        if (verdict != 0)
        {
            string text = await _fromSource.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? string.Empty;
            Fail(text, fatal: verdict == 2);
            await sink.WriteAsync((char)verdict + text + "\n", cancellationToken).ConfigureAwait(false);
            if (verdict == 2)
            {
                throw new ScpProtocolException(Strip(text));
            }

            return;
        }

        await sink.WriteAsync("\0", cancellationToken).ConfigureAwait(false);
        string? refused = await ReadAckAsync(_fromSink, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            Fail(refused, fatal: false);
            await source.WriteAsync("\x01" + refused + "\n", cancellationToken).ConfigureAwait(false);
            return;
        }

        await source.WriteAsync("\0", cancellationToken).ConfigureAwait(false);
        progress.FileDone(line.Name);
    }

    // Null for \0; the text of a \x01/\x02 line otherwise (a \x02 sets the fatal flag).
    private async Task<string?> ReadAckAsync(ScpReader reader, CancellationToken cancellationToken)
    {
        int b = await reader.ReadByteAsync(cancellationToken).ConfigureAwait(false);
        switch (b)
        {
            case 0:
                return null;
            case 1:
            case 2:
                string text = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? string.Empty;
                if (b == 2)
                {
                    _fatal = true;
                }

                return text;
            case < 0:
                throw new ScpProtocolException("connection closed while waiting for an acknowledgement");
            default:
                throw new ScpProtocolException($"unexpected acknowledgement byte 0x{b:x2}");
        }
    }

    private void Fail(string text, bool fatal)
    {
        _errors.Add(Strip(text));
        _fatal |= fatal;
    }

    private static string Strip(string text) =>
        string.Concat((text.StartsWith("scp: ", StringComparison.Ordinal) ? text[5..] : text).Select(c => char.IsControl(c) ? '?' : c));

    private static async Task TryWriteAsync(ScpPeer peer, string text)
    {
        try
        {
            await peer.WriteAsync(text, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SshException or IOException or InvalidOperationException or OperationCanceledException)
        {
            // The peer is gone; the error is already recorded.
        }
    }
}
