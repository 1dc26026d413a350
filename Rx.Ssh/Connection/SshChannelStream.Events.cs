using System.Reactive.Linq;
using Rx.Ssh.Connection;

namespace Rx.Ssh;

// The observable view: every incoming event in arrival order, window given back after each OnNext.
public sealed partial class SshChannelStream
{
    /// <summary>
    /// Every event the peer sends on the channel, in arrival order: data, extended data with its
    /// type code, EOF, requests (answer those with <see cref="SshChannelRequestReceived.WantReply"/>
    /// through <see cref="SshChannelRequestReceived.Reply"/>) and finally <see cref="SshChannelClosed"/>,
    /// then completion; <c>OnError</c> with <see cref="SshConnectionException"/> when the connection ends.
    /// </summary>
    /// <remarks>
    /// Cold-then-hot: the channel queues what arrives (within its window) from the moment it
    /// opens, and a subscription delivers what is queued, then what follows; nothing is lost before
    /// the first subscriber. One subscriber at a time (a second gets <c>OnError</c> with
    /// <see cref="InvalidOperationException"/>; so does a subscriber when the stream or pipe already reads
    /// the channel); use <c>Publish</c> to share. Disposing the subscription stops delivery and
    /// leaves the channel open, its events queued for the next subscriber; dispose the stream to close
    /// the channel. Back-pressure: the peer gets window back for a data event when <c>OnNext</c>
    /// returns, so a slow observer slows the sender; after <c>ObserveOn</c> <c>OnNext</c> returns at
    /// once and the scheduler's queue, not the window, bounds memory. Events own their bytes.
    /// </remarks>
    public IObservable<SshChannelEvent> Events => _events ??= Observable.Create<SshChannelEvent>(PumpEventsAsync);

    private async Task PumpEventsAsync(IObserver<SshChannelEvent> observer, CancellationToken cancellationToken)
    {
        Claim(EventsForm);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task previous;
        lock (_subscriberGate)
        {
            // A subscriber that was disposed may still be leaving its loop: the next one waits for it, so one reads at a time.
            if (_subscriber is { } current && !current.Done.IsCompleted && !current.Token.IsCancellationRequested)
            {
                throw new InvalidOperationException("The channel's events already have a subscriber; use Publish to share them.");
            }

            previous = _subscriber?.Done ?? Task.CompletedTask;
            _subscriber = new Subscriber(cancellationToken, done.Task);
        }

        try
        {
            await previous.ConfigureAwait(false);
            while (await WaitForEventsAsync(cancellationToken).ConfigureAwait(false))
            {
                while (!cancellationToken.IsCancellationRequested && _channel.Events.TryRead(out ChannelEvent e))
                {
                    Deliver(observer, e);
                }
            }
        }
        finally
        {
            done.SetResult();
        }
    }

    private sealed record Subscriber(CancellationToken Token, Task Done);

    private void Deliver(IObserver<SshChannelEvent> observer, in ChannelEvent e)
    {
        switch (e.Kind)
        {
            case ChannelEventKind.Data:
            case ChannelEventKind.ExtendedData:
                try
                {
                    byte[] copy = e.Data.ToArray();
                    observer.OnNext(e.Kind == ChannelEventKind.Data ? new SshChannelDataReceived(copy) : new SshChannelExtendedDataReceived(e.DataType, copy));
                }
                finally
                {
                    _channel.Consumed(e);
                }

                break;
            case ChannelEventKind.Eof:
                observer.OnNext(new SshChannelEofReceived());
                break;
            case ChannelEventKind.Request:
                observer.OnNext(new SshChannelRequestReceived(e.RequestType!, e.RequestData ?? [], e.WantReply, e.WantReply ? _replies.Reserve() : null));
                break;
            case ChannelEventKind.Close:
                observer.OnNext(new SshChannelClosed());
                break;
        }
    }
}
