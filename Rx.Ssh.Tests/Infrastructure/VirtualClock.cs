using System.Reactive.Concurrency;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// A virtual-time scheduler (System.Reactive's <see cref="VirtualTimeSchedulerBase{TAbsolute, TRelative}"/>)
/// that other threads may schedule on while the test advances it: the server's connection tasks
/// register timers from the thread pool. Time moves only in <c>AdvanceBy</c>/<c>AdvanceTo</c>, and
/// <see cref="WhenScheduledAsync"/> lets a test wait until the code under test has armed a timer
/// (so "nothing happens before the clock moves" is asserted without sleeping).
/// </summary>
public sealed class VirtualClock : VirtualTimeSchedulerBase<DateTimeOffset, TimeSpan>
{
    private readonly object _gate = new();
    private readonly List<Item> _items = [];
    private readonly List<(Func<DateTimeOffset, bool> Match, TaskCompletionSource Done)> _waiters = [];
    private long _order;

    /// <summary>Starts at 2026-01-01T00:00Z.</summary>
    public VirtualClock()
        : base(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), Comparer<DateTimeOffset>.Default)
    {
    }

    /// <summary>Timers armed and neither run nor cancelled.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                _items.RemoveAll(i => i.Scheduled.IsCanceled);
                return _items.Count;
            }
        }
    }

    /// <summary>Completes once a live timer is due at a time matching <paramref name="due"/>.</summary>
    public Task WhenScheduledAsync(Func<DateTimeOffset, bool> due)
    {
        lock (_gate)
        {
            if (_items.Any(i => !i.Scheduled.IsCanceled && due(i.Scheduled.DueTime)))
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((due, done));
            return done.Task;
        }
    }

    /// <summary>Completes once a live timer is due exactly <paramref name="after"/> from now.</summary>
    public Task WhenScheduledAsync(TimeSpan after)
    {
        DateTimeOffset at = Clock + after;
        return WhenScheduledAsync(d => d == at);
    }

    /// <inheritdoc />
    public override IDisposable ScheduleAbsolute<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        Item? item = null;
        var scheduled = new ScheduledItem<DateTimeOffset, TState>(this, state, (s, st) =>
        {
            lock (_gate)
            {
                _items.Remove(item!);
            }

            return action(s, st);
        }, dueTime, Comparer);
        List<TaskCompletionSource> woken = [];
        lock (_gate)
        {
            item = new Item(scheduled, _order++);
            _items.Add(item);
            _waiters.RemoveAll(w =>
            {
                if (!w.Match(dueTime))
                {
                    return false;
                }

                woken.Add(w.Done);
                return true;
            });
        }

        foreach (TaskCompletionSource done in woken)
        {
            done.TrySetResult();
        }

        return scheduled;
    }

    /// <inheritdoc />
    protected override IScheduledItem<DateTimeOffset>? GetNext()
    {
        lock (_gate)
        {
            _items.RemoveAll(i => i.Scheduled.IsCanceled);
            Item? next = null;
            foreach (Item i in _items)
            {
                if (next is null || i.Scheduled.DueTime < next.Scheduled.DueTime || (i.Scheduled.DueTime == next.Scheduled.DueTime && i.Order < next.Order))
                {
                    next = i;
                }
            }

            return next?.Scheduled;
        }
    }

    /// <inheritdoc />
    protected override DateTimeOffset Add(DateTimeOffset absolute, TimeSpan relative) => absolute + relative;

    /// <inheritdoc />
    protected override DateTimeOffset ToDateTimeOffset(DateTimeOffset absolute) => absolute;

    /// <inheritdoc />
    protected override TimeSpan ToRelative(TimeSpan timeSpan) => timeSpan;

    private sealed record Item(ScheduledItem<DateTimeOffset> Scheduled, long Order)
    {
        // ScheduledItem is both the queue entry and the cancellation handle.
    }
}
