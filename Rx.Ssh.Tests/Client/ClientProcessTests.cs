using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Client;

/// <summary>Interactive client processes against the Rx.Ssh server (in memory).</summary>
public sealed class ClientProcessTests
{
    [Fact]
    public async Task AnInteractiveProcessAnswersLineByLine()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            while (await p.Stdin.ReadLineAsync() is { } line)
            {
                await p.Stdout.WriteLineAsync($"{line} -> {line.Length}");
            }

            await p.Stderr.WriteLineAsync("bye");
            p.ExitStatus = 4;
        }));

        await using SshClientProcess process = await pair.Client.CreateProcessAsync("lengths").WaitAsync(TestTimeout.Default);
        await process.Stdin.WriteLineAsync("abc");
        Assert.Equal("abc -> 3", await process.Stdout.ReadLineAsync().AsTask().WaitAsync(TestTimeout.Default));
        await process.Stdin.WriteLineAsync("hello");
        Assert.Equal("hello -> 5", await process.Stdout.ReadLineAsync().AsTask().WaitAsync(TestTimeout.Default));
        await process.Stdin.CloseAsync();

        Assert.Null(await process.Stdout.ReadLineAsync().AsTask().WaitAsync(TestTimeout.Default));
        Assert.Equal("bye\n", await process.Stderr.ReadToEndAsync().WaitAsync(TestTimeout.Default));
        SshProcessExit exit = await process.Exit.FirstAsync().ToTask().WaitAsync(TestTimeout.Default);
        Assert.Equal(new SshProcessExit(4), exit);
    }

    [Fact]
    public async Task SignalsBreakAndTerminalSizeReachTheServer()
    {
        var seen = new List<string>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            using IDisposable a = p.Signals.Subscribe(s => Add("signal " + s));
            using IDisposable b = p.Breaks.Subscribe(ms => Add("break " + ms));
            using IDisposable c = p.TerminalSizeChanges.Subscribe(t => Add($"size {t.Columns}x{t.Rows}"));
            await p.Stdout.WriteAsync("ready\n");
            await done.Task;
            await p.ExitWithSignalAsync("TERM");

            void Add(string s)
            {
                lock (seen)
                {
                    seen.Add(s);
                    if (seen.Count == 3)
                    {
                        done.TrySetResult();
                    }
                }
            }
        }));

        await using SshClientProcess process = await pair.Client.CreateProcessAsync(null, new SshProcessOptions { Terminal = new SshTerminal() }).WaitAsync(TestTimeout.Default);
        Assert.Equal("ready", await process.Stdout.ReadLineAsync().AsTask().WaitAsync(TestTimeout.Default));
        await process.TerminateAsync();
        Assert.True(await process.SendBreakAsync(250).WaitAsync(TestTimeout.Default));
        await process.ChangeTerminalSizeAsync(100, 30);

        SshProcessExit exit = await process.WaitForExitAsync().WaitAsync(TestTimeout.Default);
        Assert.Equal("TERM", exit.ExitSignal);
        Assert.False(exit.Succeeded);
        Assert.Equal(["signal TERM", "break 250", "size 100x30"], seen);
    }

    [Fact]
    public async Task StdoutAsAStreamCarriesLargeOutputWithFlowControl()
    {
        const int Size = 20 * 1024 * 1024;
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            byte[] chunk = new byte[100_000];
            for (int sent = 0; sent < Size; sent += chunk.Length)
            {
                chunk.AsSpan().Fill((byte)(sent / chunk.Length));
                await p.Stdout.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, Size - sent)));
            }
        }));

        await using SshClientProcess process = await pair.Client.CreateProcessAsync("source").WaitAsync(TestTimeout.Default);
        var sink = new MemoryStream();
        await process.Stdout.AsStream().CopyToAsync(sink).WaitAsync(TestTimeout.Long);

        Assert.Equal(Size, sink.Length);
        Assert.Equal(7, sink.GetBuffer()[(7 * 100_000) + 5]);
        Assert.True((await process.WaitForExitAsync().WaitAsync(TestTimeout.Default)).Succeeded);
    }

    [Fact]
    public async Task StdinFromAnObservableAndOutputAsLines()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            string all = await p.Stdin.ReadToEndAsync();
            foreach (string line in all.Split('\n', StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                await p.Stdout.WriteLineAsync(line);
            }
        }));

        await using SshClientProcess process = await pair.Client.CreateProcessAsync("tac").WaitAsync(TestTimeout.Default);
        Task input = process.Stdin.WriteFromAsync(new[] { "1\n", "2\n", "3\n" }.ToObservable());
        IList<string> lines = await process.Stdout.Lines.ToList().ToTask().WaitAsync(TestTimeout.Default);
        await input.WaitAsync(TestTimeout.Default);

        Assert.Equal(["3", "2", "1"], lines);
    }

    [Fact]
    public async Task LosingTheConnectionFailsTheExitAndTheReaders()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, p.Closed);
        }));
        SshClientProcess process = await pair.Client.CreateProcessAsync("wait").WaitAsync(TestTimeout.Default);
        await started.Task.WaitAsync(TestTimeout.Default);

        await pair.Server.DisposeAsync();

        await Assert.ThrowsAsync<SshConnectionException>(() => process.WaitForExitAsync().WaitAsync(TestTimeout.Default));
        await Assert.ThrowsAsync<SshConnectionException>(() => process.Stdout.ReadToEndAsync().WaitAsync(TestTimeout.Default));
        await process.DisposeAsync();
    }

    [Fact]
    public async Task TextDecodingKeepsCharactersSplitAcrossChunks()
    {
        byte[] bytes = Encoding.UTF8.GetBytes("héllo wörld €");
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            foreach (byte b in bytes)
            {
                await p.Stdout.WriteAsync(new[] { b });
            }
        }));

        await using SshClientProcess process = await pair.Client.CreateProcessAsync("utf8").WaitAsync(TestTimeout.Default);
        IList<string> chunks = await process.Stdout.Text.ToList().ToTask().WaitAsync(TestTimeout.Default);

        Assert.Equal("héllo wörld €", string.Concat(chunks));
        Assert.DoesNotContain(chunks, c => c.Contains('\uFFFD', StringComparison.Ordinal));
    }
}
