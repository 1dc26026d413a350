using System.Buffers;
using System.IO.Pipelines;
using System.Text;

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

                string line = Encoding.ASCII.GetString(lineBytes).TrimEnd('\r');
                _input.AdvanceTo(buffer.GetPosition(1, newline.Value));
                if (line.Contains('\0', StringComparison.Ordinal))
                {
                    throw new SshConnectionException(DisconnectReason.ProtocolError, "The peer's identification line contains a NUL byte.");
                }

                return line;
            }

            if (buffer.Length > MaxLineLength)
            {
                string start = Encoding.ASCII.GetString(buffer.Slice(0, 40));
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

    private static string Truncate(string text)
    {
        var clean = new StringBuilder();
        foreach (char c in text.Length > 80 ? text[..80] : text)
        {
            clean.Append(c is >= ' ' and < (char)127 ? c : '?');
        }

        return clean.ToString();
    }
}
