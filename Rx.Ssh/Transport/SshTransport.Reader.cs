using System.Buffers;
using System.IO.Pipelines;
using Rx.Ssh.Algorithms.Ciphers;

namespace Rx.Ssh.Transport;

/// <summary>Reading binary packets (RFC 4253 section 6).</summary>
internal sealed partial class SshTransport
{
    private IPacketDecryptor _decryptor = NoneCipher.Instance;
    private uint _receiveSequence;
    private long _packetsReceived;
    private long _bytesReceivedSinceKex;
    private long _packetsReceivedSinceKex;
    private byte[] _receiveBuffer = new byte[36 * 1024];
    private long _pendingLength = -1;

    /// <summary>Sequence number of the packet last returned (for UNIMPLEMENTED replies).</summary>
    public uint LastReceivedSequence { get; private set; }

    private const int ReaderIdle = 0, ReaderBusy = 1, ReaderReleased = 2;
    private int _readerState;

    /// <summary>Reads, decrypts and verifies the next packet; returns its payload.</summary>
    private async ValueTask<ReadOnlyMemory<byte>> ReadPacketAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _readerState, ReaderBusy, ReaderIdle) == ReaderReleased)
        {
            throw new SshConnectionException(DisconnectReason.ConnectionLost, "The connection is closed.", true, _failure);
        }

        try
        {
            while (true)
            {
                ReadResult result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                if (TryReadPacket(ref buffer, out ReadOnlyMemory<byte> payload))
                {
                    _input.AdvanceTo(buffer.Start);
                    return payload;
                }

                if (result.IsCompleted)
                {
                    _input.AdvanceTo(buffer.End);
                    throw new SshConnectionException(DisconnectReason.ConnectionLost, "The peer closed the connection.", isLocal: false);
                }

                _input.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        finally
        {
            Volatile.Write(ref _readerState, ReaderIdle);
            if (_failure is not null)
            {
                ReleaseReceiveKeys();
            }
        }
    }

    private bool TryReadPacket(ref ReadOnlySequence<byte> buffer, out ReadOnlyMemory<byte> payload)
    {
        payload = default;
        IPacketDecryptor decryptor = _decryptor;
        if (_pendingLength < 0)
        {
            int prefixSize = decryptor.LengthPrefixSize;
            if (buffer.Length < prefixSize)
            {
                return false;
            }

            Span<byte> prefix = stackalloc byte[prefixSize];
            buffer.Slice(0, prefixSize).CopyTo(prefix);
            uint length = decryptor.DecryptLength(_receiveSequence, prefix);
            int aligned = decryptor.IsLengthExcludedFromPadding ? (int)Math.Min(length, int.MaxValue) : (int)Math.Min(length + 4L, int.MaxValue);
            if (length < 5 || length > _settings.MaxPacketLength || aligned % decryptor.BlockSize != 0)
            {
                throw new SshConnectionException(DisconnectReason.ProtocolError, $"Invalid packet length {length} from peer.");
            }

            _pendingLength = length;
        }

        int total = 4 + (int)_pendingLength + decryptor.MacLength;
        if (buffer.Length < total)
        {
            return false;
        }

        if (_receiveBuffer.Length < total)
        {
            _receiveBuffer = new byte[Math.Max(total, _receiveBuffer.Length * 2)];
        }

        Span<byte> packet = _receiveBuffer.AsSpan(0, 4 + (int)_pendingLength);
        buffer.Slice(0, total).CopyTo(_receiveBuffer);
        decryptor.Decrypt(_receiveSequence, packet, _receiveBuffer.AsSpan(packet.Length, decryptor.MacLength));
        int padding = packet[4];
        int payloadLength = (int)_pendingLength - padding - 1;
        if (padding < 4 || payloadLength < 1)
        {
            throw new SshConnectionException(DisconnectReason.ProtocolError, $"Invalid padding length {padding} in packet from peer.");
        }

        buffer = buffer.Slice(total);
        _pendingLength = -1;
        LastReceivedSequence = _receiveSequence;
        _receiveSequence++;
        _packetsReceived++;
        _packetsReceivedSinceKex++;
        _bytesReceivedSinceKex += total;
        payload = DecompressIncoming(_receiveBuffer.AsMemory(5, payloadLength));
        if (_firstKexDone && (_bytesReceivedSinceKex > Interlocked.Read(ref _receiveRekeyLimit) || _packetsReceivedSinceKex > PacketRekeyLimit || _automaticRekeyDue))
        {
            RequestAutomaticKeyExchange();
        }

        return true;
    }

    /// <summary>
    /// Once the transport has failed and no read is in progress (either side may call it, the
    /// reader state decides who): the receive keys are disposed, which clears them, and no packet
    /// is read again.
    /// </summary>
    private void ReleaseReceiveKeys()
    {
        if (Interlocked.CompareExchange(ref _readerState, ReaderReleased, ReaderIdle) != ReaderBusy)
        {
            Interlocked.Exchange(ref _decryptor, NoneCipher.Instance).Dispose();
        }
    }

    /// <summary>True while cipher objects with key material are held (tests: none once the transport has failed).</summary>
    internal bool HoldsKeys => Volatile.Read(ref _decryptor) is not NoneCipher || Volatile.Read(ref _encryptor) is not NoneCipher || Volatile.Read(ref _pendingEncryptor) is not null;

    private void InstallDecryptor(IPacketDecryptor decryptor, bool resetSequence)
    {
        Interlocked.Exchange(ref _decryptor, decryptor).Dispose();
        if (Volatile.Read(ref _readerState) == ReaderReleased)
        {
            // Failed meanwhile: the shutdown released the old keys, these are ours to clear.
            Interlocked.Exchange(ref _decryptor, NoneCipher.Instance).Dispose();
        }

        if (resetSequence)
        {
            _receiveSequence = 0;
        }

        _bytesReceivedSinceKex = 0;
        _packetsReceivedSinceKex = 0;
    }
}
