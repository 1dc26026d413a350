using System.Buffers;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using System.Text;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Transport;

/// <summary>Identification string exchange (RFC 4253 section 4.2).</summary>
internal sealed partial class SshTransport
{
    private const int MaxLineLength = 255;
    private const int MaxLinesBeforeVersion = 1024;

    private async Task ExchangeVersionsAsync(CancellationToken cancellationToken)
    {
        byte[] ours = Encoding.ASCII.GetBytes(LocalVersion + "\r\n");
        await _output.WriteAsync(ours, cancellationToken).ConfigureAwait(false);

        string? firstLine = null;
        for (int lines = 0; ; lines++)
        {
            string? line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                throw new SshConnectionException(
                    DisconnectReason.ProtocolVersionNotSupported,
                    firstLine is null
                        ? "The peer closed the connection before sending its SSH identification."
                        : $"The peer is not an SSH server or client (it sent '{Truncate(firstLine)}').",
                    isLocal: false);
            }

            firstLine ??= line;
            if (line.StartsWith("SSH-", StringComparison.Ordinal))
            {
                if (!line.StartsWith("SSH-2.0-", StringComparison.Ordinal) && !line.StartsWith("SSH-1.99-", StringComparison.Ordinal))
                {
                    throw new SshConnectionException(DisconnectReason.ProtocolVersionNotSupported, $"Unsupported SSH protocol version: '{Truncate(line)}'.");
                }

                RemoteVersion = line;
                Logger.LogDebug(SshLogEvents.Transport.RemoteVersion, "Remote software version {Version}", PeerText.Sanitize(line));
                return;
            }

            // Servers may send other lines first; clients may not.
            if (IsServer || lines >= MaxLinesBeforeVersion)
            {
                throw new SshConnectionException(DisconnectReason.ProtocolVersionNotSupported, $"The peer sent '{Truncate(line)}' instead of an SSH identification.");
            }
        }
    }

    private async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            SequencePosition? newline = buffer.PositionOf((byte)'\n');
            if (newline is not null)
            {
                ReadOnlySequence<byte> lineBytes = buffer.Slice(0, newline.Value);
                if (lineBytes.Length > MaxLineLength)
                {
                    _input.AdvanceTo(buffer.Start);
                    throw new SshConnectionException(DisconnectReason.ProtocolError, "The peer's identification line is too long.");
                }

                byte[] raw = lineBytes.ToArray(); // at most 255 bytes, a few lines per connection
                _input.AdvanceTo(buffer.GetPosition(1, newline.Value));
                return DecodeLine(raw.AsSpan(0, raw.Length > 0 && raw[^1] == '\r' ? raw.Length - 1 : raw.Length));
            }

            if (buffer.Length > MaxLineLength)
            {
                string start = Encoding.UTF8.GetString(buffer.Slice(0, 40));
                _input.AdvanceTo(buffer.Start);
                throw new SshConnectionException(DisconnectReason.ProtocolVersionNotSupported, $"The peer sent '{Truncate(start)}...' instead of an SSH identification.", isLocal: true);
            }

            if (result.IsCompleted)
            {
                _input.AdvanceTo(buffer.End);
                return null;
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>
    /// One line of the version exchange without its line end. The identification line (the one
    /// that starts with <c>SSH-</c>) must be printable US-ASCII (RFC 4253 section 4.2): a byte
    /// outside that range is refused, not replaced, since the line goes into the exchange hash and
    /// to the application as it is. Other lines a server sends first are UTF-8 (same section).
    /// </summary>
    private static string DecodeLine(ReadOnlySpan<byte> line)
    {
        if (line.Contains((byte)0))
        {
            throw new SshConnectionException(DisconnectReason.ProtocolError, "The peer's identification line contains a NUL byte.");
        }

        if (!line.StartsWith("SSH-"u8))
        {
            return Encoding.UTF8.GetString(line);
        }

        int bad = line.IndexOfAnyExceptInRange((byte)' ', (byte)'~');
        if (bad >= 0)
        {
            throw new SshConnectionException(
                DisconnectReason.ProtocolError,
                $"The peer's identification string has byte 0x{line[bad]:X2} at offset {bad} (after '{Truncate(Encoding.ASCII.GetString(line[..bad]))}'): RFC 4253 section 4.2 allows only printable US-ASCII there.");
        }

        return Encoding.ASCII.GetString(line);
    }

    private static string Truncate(string text) => PeerText.Sanitize(text, 80);
}
