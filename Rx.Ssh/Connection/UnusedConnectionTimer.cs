using System.Reactive.Concurrency;

namespace Rx.Ssh.Connection;

/// <summary>
/// Ends a connection that has had no open channel for a whole timeout (OpenSSH's
/// <c>UnusedConnectionTimeout</c>): the timer runs while the channel table is empty, from the
/// start and after each last channel closes, and stops as soon as a channel opens. Told of the
/// table's size under the table's lock, so its view is exact.
/// </summary>
internal sealed class UnusedConnectionTimer(TimeSpan timeout, IScheduler scheduler, Action expired) : IDisposable
{
    private readonly object _gate = new();
    private IDisposable? _timer;
    private bool _disposed;

    /// <summary>The table now holds <paramref name="count"/> channels.</summary>
    public void ChannelCount(int count)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (count > 0)
            {
                _timer?.Dispose();
                _timer = null;
            }
            else
            {
                _timer ??= scheduler.Schedule(timeout, Fire);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void Fire()
    {
        lock (_gate)
        {
            if (_disposed || _timer is null)
            {
                return;
            }

            _timer = null;
        }

        expired();
    }
}
