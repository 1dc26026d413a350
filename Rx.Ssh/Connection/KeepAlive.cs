using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;

namespace Rx.Ssh.Connection;

/// <summary>
/// Sends <c>keepalive@openssh.com</c> (want-reply) every interval and ends the connection when
/// <c>countMax</c> of them in a row got no reply by the next tick, like OpenSSH's
/// ServerAlive*/ClientAlive* options. Any reply, success or failure, counts. The requests go
/// through <see cref="SshConnection.SendGlobalRequestCoreAsync"/>, the one queue of global requests,
/// and the count is reset on the dispatch loop when the reply arrives.
/// </summary>
internal sealed class KeepAlive : IDisposable
{
    public const string RequestName = "keepalive@openssh.com";

    private readonly SshConnection _connection;
    private readonly TimeSpan _interval;
    private readonly int _countMax;
    private readonly IDisposable _timer;
    private int _unanswered;
    private int _disposed;

    private KeepAlive(SshConnection connection, TimeSpan interval, int countMax, IScheduler scheduler)
    {
        _connection = connection;
        _interval = interval;
        _countMax = countMax;
        _timer = scheduler.Schedule(interval, Tick);
    }

    /// <summary>Starts keepalives on <paramref name="connection"/>, or returns null when <paramref name="interval"/> turns them off.</summary>
    public static KeepAlive? Start(SshConnection connection, TimeSpan interval, int countMax, IScheduler scheduler)
    {
        if (interval <= TimeSpan.Zero || interval == Timeout.InfiniteTimeSpan)
        {
            return null;
        }

        ArgumentOutOfRangeException.ThrowIfNegative(countMax);
        return new KeepAlive(connection, interval, countMax, scheduler);
    }

    private void Tick(Action<TimeSpan> again)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        if (Volatile.Read(ref _unanswered) >= _countMax)
        {
            var error = new SshConnectionException(
                DisconnectReason.ConnectionLost,
                $"The peer did not answer {_countMax} keepalive(s) sent every {_interval.TotalSeconds:0.###} s.",
                true,
                new TimeoutException("Keepalive timeout."));
            _ = _connection.Transport.FailAsync(error);
            return;
        }

        int unanswered = Interlocked.Increment(ref _unanswered);
        _connection.Loggers.Connection.LogDebug(SshLogEvents.Connection.KeepAliveSent, "Keepalive sent; {Unanswered} unanswered of at most {CountMax}", unanswered, _countMax);
        Task<SshGlobalReply> sent = _connection.SendGlobalRequestCoreAsync(RequestName, ReadOnlyMemory<byte>.Empty, wantReply: true, _ => Volatile.Write(ref _unanswered, 0), CancellationToken.None);
        if (sent.IsFaulted)
        {
            _ = sent.Exception; // the connection is closed; it reports why
            return;
        }

        // A connection that ends meanwhile fails the request; observe it so it is not unobserved.
        _ = sent.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        again(_interval);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _timer.Dispose();
        }
    }
}
