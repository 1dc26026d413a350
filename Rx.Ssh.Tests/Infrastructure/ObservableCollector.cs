using System.Threading.Channels;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// Subscribes at once and keeps what a (hot) observable emits, so a test awaits each item in turn
/// (<see cref="NextAsync"/>, with the default timeout) and how the sequence ended (<see cref="Ended"/>:
/// null when it completed, or the error). Disposing unsubscribes.
/// </summary>
internal sealed class ObservableCollector<T> : IDisposable
{
    private readonly Channel<T> _items = Channel.CreateUnbounded<T>();
    private readonly TaskCompletionSource<Exception?> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IDisposable _subscription;

    public ObservableCollector(IObservable<T> source) =>
        _subscription = source.Subscribe(
            e => _items.Writer.TryWrite(e),
            ex => _ended.TrySetResult(ex),
            () => _ended.TrySetResult(null));

    public Task<Exception?> Ended => _ended.Task;

    public async Task<T> NextAsync() => await _items.Reader.ReadAsync().AsTask().WithTimeout();

    /// <summary>The next item if one has already arrived (no waiting).</summary>
    public bool TryNext(out T item) => _items.Reader.TryRead(out item!);

    public void Dispose()
    {
        _subscription.Dispose();
        _ended.TrySetResult(null);
    }
}
