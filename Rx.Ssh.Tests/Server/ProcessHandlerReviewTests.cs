using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Server;

/// <summary>
/// Review items for the task-style server (issue 10, item 7): a throwing handler tells the
/// client nothing of the exception, and requests sent before the handler subscribed are kept.
/// </summary>
public sealed class ProcessHandlerReviewTests
{
    [Fact]
    public async Task AThrowingHandlerSendsAGenericMessageNotTheExceptionText()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(
            _ => throw new InvalidOperationException("cannot open /srv/secret/db.conf with password hunter2")));

        SshCompletedProcess result = await pair.Client.RunAsync("anything").WithTimeout();

        Assert.Equal("Internal server error.\n", result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.Equal(1, result.ExitStatus);
    }

    [Fact]
    public async Task SignalsBreaksAndWindowChangesSentBeforeTheHandlerSubscribesAreNotLost()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            // Requests and data are handled in the order sent, so once "go" is read the signal,
            // the break and the window change have all arrived, and nobody was subscribed then.
            await p.Stdin.ReadLineAsync();
            Task<string> signal = p.Signals.FirstAsync().Timeout(TestTimeout.Default).ToTask();
            Task<int> pause = p.Breaks.FirstAsync().Timeout(TestTimeout.Default).ToTask();
            Task<SshTerminal> size = p.TerminalSizeChanges.FirstAsync().Timeout(TestTimeout.Default).ToTask();
            await p.Stdout.WriteAsync($"{await signal} {await pause} {(await size).Columns}x{(await size).Rows}\n");
        }) with { LineEditor = false });

        await using SshClientProcess process = await pair.Client.CreateProcessAsync("wait", new SshProcessOptions { Terminal = new SshTerminal("xterm", 80, 24) }).WithTimeout();
        await process.SendSignalAsync("USR1").WithTimeout();
        Assert.True(await process.SendBreakAsync(250).WithTimeout());
        await process.ChangeTerminalSizeAsync(100, 40).WithTimeout();
        await process.Stdin.WriteLineAsync("go").WithTimeout();

        Assert.Equal("USR1 250 100x40", (await process.Stdout.ReadLineAsync().AsTask().WithTimeout())?.TrimEnd('\r'));
    }
}
