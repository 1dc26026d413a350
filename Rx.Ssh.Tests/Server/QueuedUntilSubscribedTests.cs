using System.Reactive.Linq;
using Rx.Ssh.Server;

namespace Rx.Ssh.Tests.Server;

public sealed class QueuedUntilSubscribedTests
{
    [Fact]
    public void TheFirstSubscriberGetsWhatCameBeforeThenLiveValues()
    {
        var source = new QueuedUntilSubscribed<int>();
        source.OnNext(1);
        source.OnNext(2);
        var first = new List<int>();
        var second = new List<int>();

        using IDisposable a = source.Subscribe(first.Add);
        source.OnNext(3);
        using IDisposable b = source.Subscribe(second.Add);
        source.OnNext(4);

        Assert.Equal([1, 2, 3, 4], first);
        Assert.Equal([4], second);
    }

    [Fact]
    public void CompletionBeforeAnySubscriberIsReplayedAfterTheValues()
    {
        var source = new QueuedUntilSubscribed<string>();
        source.OnNext("INT");
        source.OnCompleted();
        var seen = new List<string>();
        bool completed = false, laterCompleted = false;

        using IDisposable a = source.Subscribe(seen.Add, () => completed = true);
        using IDisposable b = source.Subscribe(_ => { }, () => laterCompleted = true);

        Assert.Equal(["INT"], seen);
        Assert.True(completed);
        Assert.True(laterCompleted);
    }

    [Fact]
    public void NobodyListeningKeepsAtMostTheLimitAndReportsEachDrop()
    {
        int dropped = 0;
        var source = new QueuedUntilSubscribed<int>(() => dropped++);
        for (int i = 0; i < QueuedUntilSubscribed<int>.Limit + 10; i++)
        {
            source.OnNext(i);
        }

        var seen = new List<int>();
        using IDisposable a = source.Subscribe(seen.Add);

        Assert.Equal(Enumerable.Range(0, QueuedUntilSubscribed<int>.Limit), seen);
        Assert.Equal(10, dropped);
    }
}
