using System.Reactive.Subjects;

namespace Rx.Ssh.Server;

/// <summary>
/// A hot sequence that keeps what arrives before anyone subscribes: values (at most
/// <see cref="Limit"/>; later ones are dropped, and reported to the drop callback, while nobody
/// listens) and completion are queued and
/// replayed, in order, to the first subscriber, which then sees the live values. Later subscribers
/// see only what arrives after they subscribe, as with a <see cref="Subject{T}"/>. Used for a
/// server process's signals, breaks and window changes, which a client may send right after the
/// session starts, before the process handler has subscribed. Values may be fed from several
/// threads (a server process's signals come from the session pump and from the line editor's
/// ctrl-C): every notification is delivered under one lock, so observers never see overlapping
/// <c>OnNext</c> calls (Rx's serialization contract), and the order is the order of delivery.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
internal sealed class QueuedUntilSubscribed<T> : IObservable<T>
{
    /// <summary>How many values are kept for the first subscriber (a client cannot grow the queue without bound).</summary>
    public const int Limit = 64;

    private readonly Lock _gate = new();
    private readonly Action? _dropped;
    private readonly Subject<T> _live = new();
    private Queue<T>? _pending = new();
    private bool _completed;

    /// <summary>Creates the sequence; <paramref name="dropped"/> is called (outside any lock) for each value dropped because the queue was full.</summary>
    public QueuedUntilSubscribed(Action? dropped = null) => _dropped = dropped;

    /// <summary>Passes <paramref name="value"/> on, or queues it while nobody has subscribed yet.</summary>
    public void OnNext(T value)
    {
        lock (_gate)
        {
            if (_pending is null)
            {
                // Delivered under the lock: two feeding threads never overlap in an observer.
                _live.OnNext(value);
                return;
            }

            if (_pending.Count < Limit)
            {
                _pending.Enqueue(value);
                return;
            }
        }

        _dropped?.Invoke(); // full: dropped, reported outside the lock
    }

    /// <summary>Completes the sequence (queued for the first subscriber when there is none yet).</summary>
    public void OnCompleted()
    {
        lock (_gate)
        {
            if (_pending is not null)
            {
                _completed = true;
                return;
            }

            _live.OnCompleted();
        }
    }

    /// <inheritdoc/>
    public IDisposable Subscribe(IObserver<T> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (_gate)
        {
            if (_pending is not { } pending)
            {
                return _live.Subscribe(observer);
            }

            // Replay under the lock: a value arriving meanwhile waits, so nothing is lost or reordered.
            _pending = null;
            while (pending.TryDequeue(out T? value))
            {
                observer.OnNext(value);
            }

            if (_completed)
            {
                observer.OnCompleted();
                _live.OnCompleted();
                return System.Reactive.Disposables.Disposable.Empty;
            }

            return _live.Subscribe(observer);
        }
    }
}
