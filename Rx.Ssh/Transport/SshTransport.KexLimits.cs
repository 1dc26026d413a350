using System.Reactive.Concurrency;

namespace Rx.Ssh.Transport;

/// <summary>
/// Limits on key re-exchange, so a peer cannot wedge the connection or make us compute for
/// nothing: a deadline for each re-exchange (the writer holds all data back meanwhile), no
/// re-exchange started by a client before it has authenticated (server side), and a cap on
/// re-exchanges the peer starts with little data in between (a rate limit per connection).
/// </summary>
internal sealed partial class SshTransport
{
    private readonly Queue<DateTimeOffset> _cheapPeerKexTimes = new();
    private IDisposable? _kexTimer;

    /// <summary>A re-exchange has started (our KEXINIT is out): it must end within the settings' timeout.</summary>
    private void StartKexTimer()
    {
        TimeSpan timeout = _settings.KeyExchangeTimeout;
        if (timeout <= TimeSpan.Zero || timeout == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        IDisposable timer = _settings.Scheduler.Schedule(timeout, () => _ = FailAsync(new SshConnectionException(
            DisconnectReason.ConnectionLost,
            $"The key re-exchange did not complete within {timeout.TotalSeconds:0.###} s.",
            true,
            new TimeoutException("Key re-exchange timeout."))));
        Interlocked.Exchange(ref _kexTimer, timer)?.Dispose();
        if (_failure is not null)
        {
            StopKexTimer();
        }
    }

    private void StopKexTimer() => Interlocked.Exchange(ref _kexTimer, null)?.Dispose();

    /// <summary>
    /// Reader, when the peer's KEXINIT starts a re-exchange we did not ask for. Throws (a protocol
    /// error disconnect) for a client that has not authenticated yet, and when the peer starts
    /// more than the allowed number of re-exchanges within the window while sending less than
    /// <see cref="TransportSettings.CheapKeyExchangeBytes"/> between them (a peer re-keying
    /// because its data limit was reached is never refused).
    /// </summary>
    private void CheckPeerInitiatedKeyExchange()
    {
        if (IsServer && !IsUserAuthenticated)
        {
            throw new SshConnectionException(DisconnectReason.ProtocolError, "Key re-exchange before authentication is not allowed.");
        }

        if (_bytesReceivedSinceKex >= _settings.CheapKeyExchangeBytes)
        {
            return;
        }

        DateTimeOffset now = _settings.Scheduler.Now;
        while (_cheapPeerKexTimes.Count > 0 && now - _cheapPeerKexTimes.Peek() >= _settings.PeerKeyExchangeWindow)
        {
            _cheapPeerKexTimes.Dequeue();
        }

        if (_cheapPeerKexTimes.Count >= _settings.MaxPeerKeyExchanges)
        {
            throw new SshConnectionException(
                DisconnectReason.ProtocolError,
                $"The peer started more than {_settings.MaxPeerKeyExchanges} key re-exchanges within {_settings.PeerKeyExchangeWindow.TotalSeconds:0.###} s.");
        }

        _cheapPeerKexTimes.Enqueue(now);
    }
}
