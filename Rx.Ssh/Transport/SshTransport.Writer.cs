using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Algorithms.Ciphers;

namespace Rx.Ssh.Transport;

/// <summary>The single writer: framing, padding, encryption, batching of flushes.</summary>
internal sealed partial class SshTransport
{
    /// <summary>Bytes of packets written to the pipe before it is flushed to the stream.</summary>
    private const int FlushThreshold = 256 * 1024;

    /// <summary>The pipe's segment size: a flush batch plus the packet that crosses the threshold, so a batch is one stream write.</summary>
    private const int OutputSegmentSize = FlushThreshold + (64 * 1024);

    private IPacketEncryptor _encryptor = NoneCipher.Instance;
    private IPacketEncryptor? _pendingEncryptor;
    private volatile bool _writerStopped;
    private bool _pendingResetSequence;
    private uint _sendSequence;
    private bool _kexInProgress;
    private long _bytesSentSinceKex;
    private long _packetsSentSinceKex;

    private async Task WriteLoopAsync()
    {
        try
        {
            while (true)
            {
                int unflushed = 0;
                while (unflushed < FlushThreshold && TryDequeue(out OutgoingPacket packet))
                {
                    unflushed += WritePacket(packet);
                }

                if (unflushed > 0)
                {
                    FlushResult flushed = await _output.FlushAsync(_shutdown.Token).ConfigureAwait(false);
                    if (flushed.IsCompleted || flushed.IsCanceled)
                    {
                        break;
                    }

                    continue;
                }

                if (!await WaitForWorkAsync().ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            Logger.LogDebug(SshLogEvents.Transport.WriterStopped, ex, "SSH writer stopped");
            _budget.Fail(ex);
        }
        finally
        {
            // Nothing goes out any more (the peer closed, or we shut down): wake every waiting sender.
            _budget.Fail(new SshConnectionException(DisconnectReason.ConnectionLost, "The connection is closed.", false));
            DrainQueues();
            ReleaseSendKeys();
        }
    }

    /// <summary>Reader, during a key exchange: hands the next send keys to the writer (or disposes them when it has stopped).</summary>
    private void SetPendingEncryptor(IPacketEncryptor encryptor)
    {
        Interlocked.Exchange(ref _pendingEncryptor, encryptor)?.Dispose();
        if (_writerStopped)
        {
            Interlocked.Exchange(ref _pendingEncryptor, null)?.Dispose();
        }
    }

    /// <summary>Writer, on the way out: the send keys (current and pending) are disposed, which clears them.</summary>
    private void ReleaseSendKeys()
    {
        _writerStopped = true;
        Interlocked.Exchange(ref _pendingEncryptor, null)?.Dispose();
        _encryptor.Dispose();
        _encryptor = NoneCipher.Instance;
    }

    private bool TryDequeue(out OutgoingPacket packet)
    {
        if (_kexQueue.Reader.TryRead(out packet))
        {
            return true;
        }

        if (!_kexInProgress && _queue.Reader.TryRead(out packet))
        {
            _budget.Release(ByteBudget.Cost(packet.Length), packet.IsReply);
            return true;
        }

        return false;
    }

    // The writer's pending waits on each queue, kept across calls until they complete: a second
    // WaitToReadAsync on a single-reader channel cancels the first, which costs a thrown
    // OperationCanceledException each time (thousands per GiB when the writer goes idle often).
    private Task<bool>? _kexWait;
    private Task<bool>? _dataWait;

    private async ValueTask<bool> WaitForWorkAsync()
    {
        if (_kexWait is null)
        {
            ValueTask<bool> kex = _kexQueue.Reader.WaitToReadAsync(_shutdown.Token);
            if (kex.IsCompleted)
            {
                return await kex.ConfigureAwait(false);
            }

            _kexWait = kex.AsTask();
        }

        if (_kexInProgress || _kexWait.IsCompleted)
        {
            return await TakeAsync(ref _kexWait).ConfigureAwait(false);
        }

        if (_dataWait is null)
        {
            ValueTask<bool> data = _queue.Reader.WaitToReadAsync(_shutdown.Token);
            if (data.IsCompleted)
            {
                return await data.ConfigureAwait(false) || await TakeAsync(ref _kexWait).ConfigureAwait(false);
            }

            _dataWait = data.AsTask();
        }

        Task<bool> first = await Task.WhenAny(_kexWait, _dataWait).ConfigureAwait(false);
        bool firstIsKex = first == _kexWait;
        bool more = await TakeAsync(ref firstIsKex ? ref _kexWait : ref _dataWait).ConfigureAwait(false);
        if (more)
        {
            return true;
        }

        // One queue is complete (shutdown); keep going while the other still has work.
        return await TakeAsync(ref firstIsKex ? ref _dataWait : ref _kexWait).ConfigureAwait(false);
    }

    /// <summary>The wait in <paramref name="slot"/>, cleared so that the next call starts a new one.</summary>
    private static Task<bool> TakeAsync(ref Task<bool>? slot)
    {
        Task<bool> wait = slot!;
        slot = null;
        return wait;
    }

    private int WritePacket(OutgoingPacket outgoing)
    {
        try
        {
            IPacketEncryptor encryptor = _encryptor;
            ReadOnlySpan<byte> original = outgoing.Buffer.AsSpan(0, outgoing.Length);
            if (_settings.OutgoingPayloadFilter is { } filter && filter(outgoing.Buffer.AsMemory(0, outgoing.Length)) is { IsEmpty: false } replaced)
            {
                original = replaced.Span;
            }

            ReadOnlySpan<byte> payload = CompressOutgoing(original);
            int payloadLength = payload.Length;
            int blockSize = encryptor.BlockSize;
            int unpadded = (encryptor.IsLengthExcludedFromPadding ? 1 : 5) + payloadLength;
            int padding = blockSize - (unpadded % blockSize);
            if (padding < 4)
            {
                padding += blockSize;
            }

            int packetLength = 1 + payloadLength + padding;
            int total = 4 + packetLength + encryptor.MacLength;
            Span<byte> span = _output.GetSpan(total);
            BinaryPrimitives.WriteUInt32BigEndian(span, (uint)packetLength);
            span[4] = (byte)padding;
            payload.CopyTo(span[5..]);
            RandomNumberGenerator.Fill(span.Slice(5 + payloadLength, padding));
            encryptor.Encrypt(_sendSequence, span[..(4 + packetLength)], span.Slice(4 + packetLength, encryptor.MacLength));
            _output.Advance(total);
            _sendSequence++;
            _packetsSentSinceKex++;
            _bytesSentSinceKex += total;
            AfterPacketSent(outgoing.Buffer.AsSpan(0, outgoing.Length));

            switch (outgoing.Action)
            {
                case PacketAction.StartKeyExchange:
                    _kexInProgress = true;
                    _budget.SetHolding(true);
                    break;
                case PacketAction.EndKeyExchange:
                    IPacketEncryptor old = _encryptor;
                    _encryptor = Interlocked.Exchange(ref _pendingEncryptor, null) ?? throw new InvalidOperationException("NEWKEYS without new keys");
                    ActivateSendCompression();
                    if (_pendingResetSequence)
                    {
                        _sendSequence = 0;
                    }

                    _bytesSentSinceKex = 0;
                    _packetsSentSinceKex = 0;
                    _kexInProgress = false;
                    _budget.SetHolding(false);
                    old.Dispose();
                    break;
            }

            if (!_kexInProgress && _firstKexDone && (_bytesSentSinceKex > Interlocked.Read(ref _sendRekeyLimit) || _packetsSentSinceKex > PacketRekeyLimit))
            {
                RequestAutomaticKeyExchange();
            }

            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(outgoing.Buffer);
        }
    }

    private void DrainQueues()
    {
        while (_kexQueue.Reader.TryRead(out OutgoingPacket packet))
        {
            ArrayPool<byte>.Shared.Return(packet.Buffer);
        }

        while (_queue.Reader.TryRead(out OutgoingPacket packet))
        {
            _budget.Release(ByteBudget.Cost(packet.Length), packet.IsReply);
            ArrayPool<byte>.Shared.Return(packet.Buffer);
        }
    }
}
