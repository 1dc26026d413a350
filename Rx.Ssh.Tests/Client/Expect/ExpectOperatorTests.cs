using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Reactive.Threading.Tasks;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace Rx.Ssh.Tests.Client.Expect;

/// <summary>The <c>Expect</c> and <c>DecodeUtf8</c> Rx operators on plain observables.</summary>
public sealed class ExpectOperatorTests
{
    [Fact]
    public async Task ExpectOnTextFindsAPromptSplitAcrossChunks()
    {
        SshExpectMatch match = await new[] { "hello\r\nrou", "ter", "# tail" }.ToObservable()
            .Expect("router# ", TimeSpan.FromSeconds(10)).ToTask();
        Assert.Equal("hello\r\n", match.Before);
        Assert.Equal("router# ", match.Value);
    }

    [Fact]
    public async Task ExpectWithARegexMatchesOverEverythingReceived()
    {
        SshExpectMatch match = await new[] { "x\r\nR1", "(conf", "ig)#" }.ToObservable()
            .Expect(new Regex(@"R\d\((\w+)\)#"), TimeSpan.FromSeconds(10)).ToTask();
        Assert.Equal("x\r\n", match.Before);
        Assert.Equal("config", match.RegexMatch!.Groups[1].Value);
    }

    [Fact]
    public void ExpectTimesOutOnTheSchedulerWithWhatWasReceived()
    {
        var scheduler = new HistoricalScheduler();
        var source = new Subject<string>();
        Exception? error = null;
        using IDisposable subscription = source.Expect("# ", TimeSpan.FromSeconds(5), scheduler).Subscribe(_ => { }, e => error = e);
        source.OnNext("Login: ");
        scheduler.AdvanceBy(TimeSpan.FromSeconds(4));
        Assert.Null(error);
        scheduler.AdvanceBy(TimeSpan.FromSeconds(1));
        SshExpectTimeoutException timeout = Assert.IsType<SshExpectTimeoutException>(error);
        Assert.Equal("Login: ", timeout.Received);
        Assert.False(source.HasObservers);
    }

    [Fact]
    public async Task ExpectFailsTypedWhenTheSourceEnds()
    {
        SshExpectEndOfStreamException error = await Assert.ThrowsAsync<SshExpectEndOfStreamException>(
            () => new[] { "abc" }.ToObservable().Expect("#", TimeSpan.FromSeconds(10)).ToTask());
        Assert.Equal("abc", error.Received);
    }

    [Fact]
    public async Task ExpectOnBytesDecodesACharacterSplitAcrossChunks()
    {
        byte[] all = Encoding.UTF8.GetBytes("naïve 𝄞> ");
        IObservable<ReadOnlyMemory<byte>> chunks = all.Select(b => (ReadOnlyMemory<byte>)new[] { b }).ToObservable();
        SshExpectMatch match = await chunks.Expect("> ", TimeSpan.FromSeconds(10)).ToTask();
        Assert.Equal("naïve 𝄞", match.Before);
    }

    [Fact]
    public async Task DecodeUtf8NeverEmitsAHalfCharacter()
    {
        byte[] euro = Encoding.UTF8.GetBytes("€");
        IList<string> parts = await new ReadOnlyMemory<byte>[] { euro.AsMemory(0, 1), euro.AsMemory(1, 1), euro.AsMemory(2, 1), new byte[] { 0xE2 } }
            .ToObservable().DecodeUtf8().ToList().ToTask();
        Assert.Equal(["€", "\uFFFD"], parts);
    }
}
