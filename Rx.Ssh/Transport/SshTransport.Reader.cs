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
    // Packets up to this size are read into one standing buffer; larger ones into a pooled buffer
    // sized to them, which a channel can take over with the data (TryTakeReceived) instead of copying.
    private const int SmallPacket = 4 * 1024;
    private readonly byte[] _smallBuffer = new byte[SmallPacket];
    private byte[]? _largeBuffer;
    private byte[] _receiveBuffer = [];
    private bool _payloadInReceiveBuffer;
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

                if (_pendingLength >= 0 && !cancellationToken.CanBeCanceled && PendingTotal is int total && total > DirectReadMinimum)
                {
                    // A large packet (an SFTP server's 255 KiB reply): what is buffered is all its own;
                    // the rest is read from the stream straight into the packet's buffer, which saves
                    // gathering it from the pipe's segments into one span (a copy of every byte).
                    return await ReadRestDirectlyAsync(buffer, total).ConfigureAwait(false);
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

        int total = PendingTotal;
        if (buffer.Length < total)
        {
            return false;
        }

        _receiveBuffer = BufferFor(total);
        Span<byte> packet = _receiveBuffer.AsSpan(0, 4 + (int)_pendingLength);
        ReadOnlySequence<byte> encrypted = buffer.Slice(0, total);
        if (encrypted.IsSingleSegment)
        {
            decryptor.DecryptFrom(_receiveSequence, encrypted.FirstSpan, packet);
        }
        else
        {
            encrypted.CopyTo(_receiveBuffer);
            decryptor.Decrypt(_receiveSequence, packet, _receiveBuffer.AsSpan(packet.Length, decryptor.MacLength));
        }

        buffer = buffer.Slice(total);
        payload = CompletePacket(total);
        return true;
    }

    /// <summary>The pending packet's size on the wire: length field, packet and MAC (once its length is known, i.e. <c>_pendingLength</c> is set).</summary>
    private int PendingTotal => 4 + (int)_pendingLength + _decryptor.MacLength;

    /// <summary>Packets larger than this (with their MAC) have their unbuffered rest read straight from the stream (see <see cref="ReadRestDirectlyAsync"/>).</summary>
    private const int DirectReadMinimum = 64 * 1024;

    /// <summary>
    /// Finishes the pending packet of <paramref name="total"/> bytes, of which <paramref name="buffered"/>
    /// holds the start (and nothing after it): copies that into the packet's buffer, reads exactly the
    /// rest from the stream into it (never past the packet, so the pipe stays in step), then decrypts
    /// and checks it in place. Only on reads that cannot be cancelled: a read given up half-way here
    /// would lose the packet's start.
    /// </summary>
    private async ValueTask<ReadOnlyMemory<byte>> ReadRestDirectlyAsync(ReadOnlySequence<byte> buffered, int total)
    {
        _receiveBuffer = BufferFor(total);
        int have = (int)buffered.Length;
        buffered.CopyTo(_receiveBuffer);
        _input.AdvanceTo(buffered.End);
        int rest = total - have;
        if (await _stream.ReadAtLeastAsync(_receiveBuffer.AsMemory(have, rest), rest, throwOnEndOfStream: false).ConfigureAwait(false) < rest)
        {
            throw new SshConnectionException(DisconnectReason.ConnectionLost, "The peer closed the connection inside a packet.", isLocal: false);
        }

        IPacketDecryptor decryptor = _decryptor;
        int length = 4 + (int)_pendingLength;
        decryptor.Decrypt(_receiveSequence, _receiveBuffer.AsSpan(0, length), _receiveBuffer.AsSpan(length, decryptor.MacLength));
        return CompletePacket(total);
    }

    /// <summary>The pending packet of <paramref name="total"/> bytes is decrypted and verified in <see cref="_receiveBuffer"/>: checks its padding, counts it, and returns its payload.</summary>
    private ReadOnlyMemory<byte> CompletePacket(int total)
    {
        Span<byte> packet = _receiveBuffer.AsSpan(0, 4 + (int)_pendingLength);
        int padding = packet[4];
        int payloadLength = (int)_pendingLength - padding - 1;
        if (padding < 4 || payloadLength < 1)
        {
            throw new SshConnectionException(DisconnectReason.ProtocolError, $"Invalid padding length {padding} in packet from peer.");
        }

        _pendingLength = -1;
        LastReceivedSequence = _receiveSequence;
        _receiveSequence++;
        _packetsReceived++;
        _packetsReceivedSinceKex++;
        _bytesReceivedSinceKex += total;
        ReadOnlyMemory<byte> plain = _receiveBuffer.AsMemory(5, payloadLength);
        ReadOnlyMemory<byte> payload = DecompressIncoming(plain);
        _payloadInReceiveBuffer = payload.Equals(plain);
        if (_firstKexDone && (_bytesReceivedSinceKex > Interlocked.Read(ref _receiveRekeyLimit) || _packetsReceivedSinceKex > PacketRekeyLimit || _automaticRekeyDue))
        {
            RequestAutomaticKeyExchange();
        }

        return payload;
    }

    /// <summary>
    /// Hands the pooled buffer that holds <paramref name="part"/> (a slice of the payload
    /// <see cref="ReceiveAsync"/> returned last) to the caller, who returns it to
    /// <see cref="ArrayPool{T}.Shared"/>; the next packet is read into a fresh one. This saves the
    /// copy of a large channel data payload into a buffer of its own. Only when the payload is in
    /// the receive buffer (not decompressed elsewhere) and <paramref name="part"/> fills at least
    /// half of it, so a held buffer is never much larger than the data it carries (the channel
    /// window bounds the data, and so within a factor of two the memory). Call only from the reader
    /// between two reads (the dispatch loop).
    /// </summary>
    internal bool TryTakeReceived(ReadOnlySpan<byte> part, out byte[] buffer, out int offset)
    {
        byte[] current = _receiveBuffer;
        if (_payloadInReceiveBuffer && current == _largeBuffer && part.Length * 2 >= current.Length && ((ReadOnlySpan<byte>)current).Overlaps(part, out offset))
        {
            _payloadInReceiveBuffer = false;
            _largeBuffer = null;
            _receiveBuffer = [];
            buffer = current;
            return true;
        }

        buffer = [];
        offset = 0;
        return false;
    }

    /// <summary>Where to decrypt a packet of <paramref name="total"/> bytes: the standing small buffer, or a pooled one sized to it (kept for the next packet unless taken).</summary>
    private byte[] BufferFor(int total)
    {
        if (total <= SmallPacket)
        {
            return _smallBuffer;
        }

        if (_largeBuffer is { } large && large.Length >= total && large.Length < 2 * total)
        {
            return large;
        }

        if (_largeBuffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_largeBuffer);
        }

        return _largeBuffer = ArrayPool<byte>.Shared.Rent(total);
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

    /// <summary>True while cipher objects with key material are held; false once the transport has failed and both directions released theirs.</summary>
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
