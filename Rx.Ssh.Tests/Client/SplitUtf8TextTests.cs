using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Rx.Ssh.Client;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Client;

/// <summary><see cref="SshDataReceived.Text"/> decodes each stream as a whole: a character split across packets is not lost.</summary>
public sealed class SplitUtf8TextTests
{
    [Fact]
    public async Task ACharacterSplitAcrossTwoPacketsAppearsWholeInEachStream()
    {
        var firstHalvesSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            await p.Stdout.WriteAsync(new byte[] { (byte)'a', 0xC3 }); // "a" and the first byte of "é"
            await p.Stderr.WriteAsync(new byte[] { 0xE2, 0x82 }); // the first two bytes of "€"
            await firstHalvesSeen.Task; // so the halves cannot travel in one packet
            await p.Stdout.WriteAsync(new byte[] { 0xA9, (byte)'b' });
            await p.Stderr.WriteAsync(new byte[] { 0xAC });
        }));
        var events = new List<SshDataReceived>();

        await pair.Client.Exec("split").OfType<SshDataReceived>().Do(e =>
        {
            events.Add(e);
            if (events.Count == 2)
            {
                firstHalvesSeen.SetResult();
            }
        }).DefaultIfEmpty().ToTask().WithTimeout();

        Assert.Equal(["a", "éb"], events.Where(e => e.Stream == SshStandardStream.Stdout).Select(e => e.Text));
        Assert.Equal(["", "€"], events.Where(e => e.Stream == SshStandardStream.Stderr).Select(e => e.Text));
        Assert.Equal(4, events.Count);
    }

    [Theory]
    [InlineData(new byte[] { 0x61 }, 0)]
    [InlineData(new byte[] { 0x61, 0xC3 }, 1)]
    [InlineData(new byte[] { 0xC3, 0xA9 }, 0)]
    [InlineData(new byte[] { 0xE2, 0x82 }, 2)]
    [InlineData(new byte[] { 0xF0, 0x9F, 0x98 }, 3)]
    [InlineData(new byte[] { 0xF0, 0x9F, 0x98, 0x80 }, 0)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80 }, 0)]
    [InlineData(new byte[] { 0xFF }, 0)]
    public void TheIncompleteTailIsTheBytesOfAnUnfinishedSequence(byte[] bytes, int expected)
    {
        Assert.Equal(expected, Utf8Continuation.IncompleteTail(bytes));
    }

    [Fact]
    public void AnInvalidContinuationStillDecodesAsReplacementCharacters()
    {
        var text = new Utf8Continuation();
        (byte[]? firstPrefix, int firstHeld) = text.Next([0x61, 0xC3]);
        (byte[]? prefix, int held) = text.Next([0x41]); // not a continuation byte

        var second = new SshDataReceived(new byte[] { 0x41 }, SshStandardStream.Stdout, prefix, held);
        Assert.Null(firstPrefix);
        Assert.Equal(1, firstHeld);
        Assert.Equal("\uFFFDA", second.Text);
    }
}
