using Microsoft.Extensions.Logging;
using Rx.Ssh.Algorithms.Compression;
using Rx.Ssh.Messages;

namespace Rx.Ssh.Transport;

/// <summary>
/// Payload compression per direction (RFC 4253 section 6.2). <c>zlib</c> starts with the keys of
/// the exchange that negotiated it; <c>zlib@openssh.com</c> waits for authentication as well: the
/// server turns it on once it has sent USERAUTH_SUCCESS, the client once it has received it. Each
/// direction has one zlib stream per set of keys: like OpenSSH, a re-key (NEWKEYS) starts a fresh
/// stream. The last streams' native memory goes with the transport (they are not disposed while
/// the reader or writer might still be using them).
/// </summary>
internal sealed partial class SshTransport
{
    internal const string Zlib = "zlib";
    internal const string DelayedZlib = "zlib@openssh.com";

    private string _sendCompression = "none";
    private string _pendingSendCompression = "none";
    private string _receiveCompression = "none";
    private volatile bool _compressionAuthenticated;

    /// <summary>
    /// True once USERAUTH_SUCCESS has passed: the server sets it when it has written the message,
    /// the client when it has read it (delayed compression, EXT_INFO and re-key rules use it).
    /// </summary>
    internal bool IsUserAuthenticated => _compressionAuthenticated;
    private ZlibCompressor? _compressor;
    private ZlibDecompressor? _decompressor;

    private bool IsCompressionOn(string method) =>
        method == Zlib || (method == DelayedZlib && _compressionAuthenticated);

    /// <summary>Writer: compresses <paramref name="payload"/> when compression is on for sending.</summary>
    private ReadOnlySpan<byte> CompressOutgoing(ReadOnlySpan<byte> payload)
    {
        if (!IsCompressionOn(_sendCompression))
        {
            return payload;
        }

        if (_compressor is null)
        {
            _compressor = new ZlibCompressor();
            Logger.LogDebug(SshLogEvents.Transport.CompressionStarted, "Compression started for {Direction} packets: {Method}", "outgoing", _sendCompression);
        }

        return _compressor.Compress(payload);
    }

    /// <summary>Writer, after a packet went out: the server's USERAUTH_SUCCESS starts delayed compression.</summary>
    private void AfterPacketSent(ReadOnlySpan<byte> payload)
    {
        if (IsServer && !payload.IsEmpty && payload[0] == MessageNumber.UserAuthSuccess)
        {
            _compressionAuthenticated = true;
        }
    }

    /// <summary>Reader: inflates a payload when compression is on for receiving.</summary>
    private ReadOnlyMemory<byte> DecompressIncoming(ReadOnlyMemory<byte> payload)
    {
        if (IsCompressionOn(_receiveCompression))
        {
            if (_decompressor is null)
            {
                _decompressor = new ZlibDecompressor();
                Logger.LogDebug(SshLogEvents.Transport.CompressionStarted, "Compression started for {Direction} packets: {Method}", "incoming", _receiveCompression);
            }

            payload = _decompressor.Decompress(payload, _settings.MaxPacketLength);
            if (payload.IsEmpty)
            {
                throw new SshConnectionException(DisconnectReason.ProtocolError, "A compressed packet from the peer inflates to nothing.");
            }
        }

        if (!IsServer && payload.Span[0] == MessageNumber.UserAuthSuccess)
        {
            _compressionAuthenticated = true;
        }

        return payload;
    }

    /// <summary>Key exchange: the methods the new keys bring, per direction.</summary>
    private void SetNegotiatedCompression(NegotiatedAlgorithms negotiated) =>
        _pendingSendCompression = IsServer ? negotiated.CompressionServerToClient : negotiated.CompressionClientToServer;

    /// <summary>Writer, at our NEWKEYS: the new method applies and any old stream ends.</summary>
    private void ActivateSendCompression()
    {
        _sendCompression = _pendingSendCompression;
        _compressor?.Dispose();
        _compressor = null;
    }

    /// <summary>Reader, at the peer's NEWKEYS: the new method applies and any old stream ends.</summary>
    private void ActivateReceiveCompression(NegotiatedAlgorithms negotiated)
    {
        _receiveCompression = IsServer ? negotiated.CompressionClientToServer : negotiated.CompressionServerToClient;
        _decompressor?.Dispose();
        _decompressor = null;
    }
}
