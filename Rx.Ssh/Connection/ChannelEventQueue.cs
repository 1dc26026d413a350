using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Rx.Ssh.Connection;

/// <summary>
/// A channel's incoming events in arrival order, read by one consumer (the session pump or a
/// process). Data is bounded by the window; requests are bounded here: their bytes are counted
/// from the moment the dispatch loop queues them until the consumer takes them, and
/// <see cref="TryWriteRequest"/> hands the dispatch loop a task to wait on once more than
/// <see cref="MaxQueuedRequestBytes"/> wait, so a slow session callback stops the connection
/// from being read (the same back-pressure as the transport's reply budget) instead of letting
/// the peer queue requests without limit.
/// </summary>
/// <remarks>
/// Where a waiting reader goes on: <see cref="WaitToReadAsync"/> continues on a thread-pool thread
/// (the dispatch loop never runs a reader's code), <see cref="WaitToReadInlineAsync"/> on the thread
/// that queued the event, i.e. the dispatch loop, for readers that do little and never block (see
/// <see cref="SshChannelStream.InlineReadContinuations"/>): one thread switch less per wake-up.
/// </remarks>
internal sealed class ChannelEventQueue : ChannelReader<ChannelEvent>
{
    /// <summary>Request bytes a channel may hold queued before the dispatch loop stops reading.</summary>
    public const int MaxQueuedRequestBytes = 256 * 1024;

    private const int RequestOverhead = 128; // event slot, string and array headers

    // Synchronous continuations, so that an inline reader runs on the writer's thread; every other
    // wait hops to the thread pool itself (WaitToReadAsync), and so does Completion.
    private readonly Channel<ChannelEvent> _events = Channel.CreateUnbounded<ChannelEvent>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
    private readonly object _gate = new();
    private long _queuedRequestBytes;
    private bool _released;
    private ReadRoom _room;

    private Task? _completion;

    /// <inheritdoc />
    public override Task Completion => LazyInitializer.EnsureInitialized(ref _completion, () => ForceYieldingAsync(_events.Reader.Completion));

    /// <summary>Queues a data, EOF or CLOSE event.</summary>
    public bool TryWrite(in ChannelEvent e) => _events.Writer.TryWrite(e);

    /// <summary>
    /// Queues a request event. Returns null while the queued requests fit; otherwise a task that
    /// completes once the consumer has taken enough of them, or the queue was released
    /// (<see cref="Release"/>): the dispatch loop awaits it before reading on.
    /// </summary>
    /// <param name="e">The request event.</param>
    /// <param name="queuedBytes">The request bytes queued with this one (what the pause is for, when there is one).</param>
    public Task? TryWriteRequest(in ChannelEvent e, out long queuedBytes)
    {
        int cost = Cost(e);
        lock (_gate)
        {
            _queuedRequestBytes += cost;
            queuedBytes = _queuedRequestBytes;
        }

        if (!_events.Writer.TryWrite(e))
        {
            Taken(cost);
            return null;
        }

        lock (_gate)
        {
            if (_released || _queuedRequestBytes <= MaxQueuedRequestBytes)
            {
                return null;
            }

            return _room.Close();
        }
    }

    /// <summary>No more writes; the consumer reads what is queued, then sees completion (or <paramref name="error"/>).</summary>
    public bool TryComplete(Exception? error = null) => _events.Writer.TryComplete(error);

    /// <summary>
    /// The channel is closing or gone: never hold the dispatch loop for it again (a consumer that
    /// stopped reading must not wedge the connection, and the peer's CLOSE must still be read).
    /// </summary>
    public void Release()
    {
        TaskCompletionSource? room;
        lock (_gate)
        {
            _released = true;
            room = _room.Open();
        }

        room?.TrySetResult();
    }

    /// <inheritdoc />
    public override bool TryRead([MaybeNullWhen(false)] out ChannelEvent item)
    {
        if (!_events.Reader.TryRead(out item))
        {
            return false;
        }

        if (item.Kind == ChannelEventKind.Request)
        {
            Taken(Cost(item));
        }

        return true;
    }

    /// <inheritdoc />
    public override bool TryPeek([MaybeNullWhen(false)] out ChannelEvent item) => _events.Reader.TryPeek(out item);

    /// <summary>Waits for an event (or the end); when it has to wait, the caller goes on on a thread-pool thread.</summary>
    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        ValueTask<bool> wait = _events.Reader.WaitToReadAsync(cancellationToken);
        return wait.IsCompleted ? wait : OffTheWriterAsync(wait);
    }

    /// <summary>
    /// Waits for an event (or the end); when it has to wait, the caller goes on on the thread that
    /// queued the event (the dispatch loop) or completed the queue, before that thread does anything
    /// else. Only for readers that never block.
    /// </summary>
    public ValueTask<bool> WaitToReadInlineAsync(CancellationToken cancellationToken = default) => _events.Reader.WaitToReadAsync(cancellationToken);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<bool> OffTheWriterAsync(ValueTask<bool> wait)
    {
        // Resumed on the writer's thread (synchronous continuations): leave it at once, for the
        // thread pool's global queue (as the queue did with asynchronous continuations), whatever
        // synchronization context that thread has.
        bool more = await wait.ConfigureAwait(false);
        await default(ThreadPoolHop);
        return more;
    }

    /// <summary>An awaitable that always goes on on a thread-pool thread (global queue), never inline and never on a captured context.</summary>
    private readonly struct ThreadPoolHop : ICriticalNotifyCompletion
    {
        public bool IsCompleted => false;

        public ThreadPoolHop GetAwaiter() => this;

        public void GetResult()
        {
        }

        public void OnCompleted(Action continuation) => ThreadPool.QueueUserWorkItem(static c => c(), continuation, preferLocal: false);

        public void UnsafeOnCompleted(Action continuation) => ThreadPool.UnsafeQueueUserWorkItem(static c => c(), continuation, preferLocal: false);
    }

    private static async Task ForceYieldingAsync(Task completion) => await completion.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);

    private static int Cost(in ChannelEvent e) => RequestOverhead + (2 * (e.RequestType?.Length ?? 0)) + (e.RequestData?.Length ?? 0);

    private void Taken(int cost)
    {
        TaskCompletionSource? room = null;
        lock (_gate)
        {
            _queuedRequestBytes -= cost;
            if (_room.IsClosed && _queuedRequestBytes <= MaxQueuedRequestBytes)
            {
                room = _room.Open();
            }
        }

        room?.TrySetResult();
    }
}
