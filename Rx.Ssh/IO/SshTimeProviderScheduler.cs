using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace Rx.Ssh;

/// <summary>
/// An Rx scheduler whose clock and timers are a <see cref="TimeProvider"/>'s, so an application that
/// keeps time with a <see cref="TimeProvider"/> (a <c>FakeTimeProvider</c> in its tests) gives the
/// library that one clock. Work due now runs on the thread pool; later work on a timer from
/// <see cref="TimeProvider.CreateTimer"/>, fired when the provider says (a fake one: when advanced).
/// Disposing a scheduled item stops its timer. What <see cref="SshConnectionOptions.TimeProvider"/>
/// uses; usable in an application's own Rx pipelines too.
/// </summary>
/// <param name="provider">The clock and timer source.</param>
public sealed class SshTimeProviderScheduler(TimeProvider provider) : LocalScheduler
{
    /// <summary>The provider this scheduler keeps time with.</summary>
    public TimeProvider Provider { get; } = provider ?? throw new ArgumentNullException(nameof(provider));

    /// <summary>The provider's current time.</summary>
    public override DateTimeOffset Now => Provider.GetUtcNow();

    /// <summary>Runs <paramref name="action"/> after <paramref name="dueTime"/> on the provider's timer (now: on the thread pool).</summary>
    /// <typeparam name="TState">The state's type.</typeparam>
    /// <param name="state">Passed to <paramref name="action"/>.</param>
    /// <param name="dueTime">How long from now.</param>
    /// <param name="action">The work; what it returns is disposed with the returned item.</param>
    /// <returns>Cancels the work (and its timer) when disposed.</returns>
    public override IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var work = new SingleAssignmentDisposable();
        var cancelled = new BooleanDisposable();
        void Run()
        {
            if (!cancelled.IsDisposed)
            {
                work.Disposable = action(this, state);
            }
        }

        if (dueTime <= TimeSpan.Zero)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static run => run(), (Action)Run, preferLocal: false);
            return new CompositeDisposable(cancelled, work);
        }

        ITimer timer = Provider.CreateTimer(static run => ((Action)run!)(), (Action)Run, dueTime, Timeout.InfiniteTimeSpan);
        return new CompositeDisposable(cancelled, Disposable.Create(timer.Dispose), work);
    }

    /// <summary>A stopwatch on the provider's clock (Rx uses it to keep periodic work on time).</summary>
    /// <returns>A running stopwatch.</returns>
    public override IStopwatch StartStopwatch() => new ProviderStopwatch(Provider);

    private sealed class ProviderStopwatch(TimeProvider provider) : IStopwatch
    {
        private readonly long _start = provider.GetTimestamp();

        public TimeSpan Elapsed => provider.GetElapsedTime(_start);
    }
}
