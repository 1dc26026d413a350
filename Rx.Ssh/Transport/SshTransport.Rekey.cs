using System.Reactive.Concurrency;
using Rx.Ssh.Algorithms.Ciphers;

namespace Rx.Ssh.Transport;

/// <summary>
/// When to re-key by itself: after a volume of data per direction (the cipher's safe limit, or
/// less when the settings say so) and after a time interval on the settings' scheduler.
/// </summary>
internal sealed partial class SshTransport
{
    /// <summary>
    /// Packets one set of keys may carry in one direction: well below 2^31 (OpenSSH's bound), so
    /// sequence numbers never come near wrapping under one set of keys whatever the byte limit.
    /// </summary>
    internal const long DefaultRekeyPackets = 1L << 28;

    private long _sendRekeyLimit = long.MaxValue;
    private long _receiveRekeyLimit = long.MaxValue;
    private long _packetRekeyLimit = DefaultRekeyPackets;
    private volatile bool _automaticRekeyDue;
    private IDisposable? _rekeyTimer;

    /// <summary>The packet limit per direction (<see cref="DefaultRekeyPackets"/>; settable so the limit can be exercised in memory).</summary>
    internal long PacketRekeyLimit
    {
        get => Interlocked.Read(ref _packetRekeyLimit);
        set => Interlocked.Exchange(ref _packetRekeyLimit, value);
    }

    /// <summary>
    /// The bytes one set of keys may carry in one direction when nothing smaller is configured:
    /// following RFC 4344 section 3.2 as OpenSSH does, 2^(2*B) blocks for ciphers with blocks of
    /// B &gt;= 16 bytes (64 GiB for AES), and 1 GiB for 8-byte-block ciphers (chacha20-poly1305 and
    /// 3des-cbc, whose block size OpenSSH also counts as 8).
    /// </summary>
    internal static long DefaultRekeyBytes(CipherAlgorithm cipher)
    {
        int block = cipher.BlockSize;
        if (block >= 16)
        {
            int exponent = Math.Min(2 * block, 32); // 2^(2*B) blocks, capped to stay in range
            return (1L << exponent) * block;
        }

        return 1L << 30;
    }

    /// <summary>The configured limit, never above the cipher's own (a larger setting cannot weaken it).</summary>
    internal static long RekeyLimitFor(CipherAlgorithm cipher, long configured)
    {
        long limit = DefaultRekeyBytes(cipher);
        return configured > 0 ? Math.Min(limit, configured) : limit;
    }

    /// <summary>Sets the per-direction limits for the keys a key exchange just negotiated.</summary>
    private void SetRekeyLimits(NegotiatedAlgorithms negotiated)
    {
        CipherAlgorithm send = IsServer ? negotiated.CipherServerToClient : negotiated.CipherClientToServer;
        CipherAlgorithm receive = IsServer ? negotiated.CipherClientToServer : negotiated.CipherServerToClient;
        Interlocked.Exchange(ref _sendRekeyLimit, RekeyLimitFor(send, _settings.RekeyBytes));
        Interlocked.Exchange(ref _receiveRekeyLimit, RekeyLimitFor(receive, _settings.RekeyBytes));
    }

    /// <summary>After a key exchange: restarts the interval timer.</summary>
    private void RestartRekeyTimer()
    {
        TimeSpan interval = _settings.RekeyInterval;
        if (interval > TimeSpan.Zero && interval != Timeout.InfiniteTimeSpan)
        {
            IDisposable next = _settings.Scheduler.Schedule(interval, RequestAutomaticKeyExchange);
            Interlocked.Exchange(ref _rekeyTimer, next)?.Dispose();
            if (_failure is not null)
            {
                StopRekeyTimer();
            }
        }
    }

    /// <summary>
    /// A limit (bytes, packets, time) says re-key. Not before authentication (a server refuses a
    /// client's re-exchange then): the next packet after USERAUTH_SUCCESS starts it instead.
    /// </summary>
    private void RequestAutomaticKeyExchange()
    {
        if (IsUserAuthenticated)
        {
            RequestKeyExchange();
        }
        else
        {
            _automaticRekeyDue = true;
        }
    }

    private void StopRekeyTimer() => Interlocked.Exchange(ref _rekeyTimer, null)?.Dispose();
}
