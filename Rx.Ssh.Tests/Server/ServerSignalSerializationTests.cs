using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Server;

/// <summary>
/// A server process's <see cref="SshServerProcess.Signals"/> is fed from two threads (the session
/// pump for the client's <c>signal</c> requests, the stdin reader for the line editor's ctrl-C);
/// its observers still see one <c>OnNext</c> at a time (issue 11, item 5).
/// </summary>
public sealed class ServerSignalSerializationTests
{
    private const int EachSource = 200;

    [Fact]
    public async Task Signals_fed_from_the_pump_and_the_line_editor_at_once_never_overlap()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            int count = 0;
            int inside = 0;
            bool overlapped = false;
            using IDisposable subscription = p.Signals.Subscribe(_ =>
            {
                if (Interlocked.Increment(ref inside) != 1)
                {
                    overlapped = true;
                }

                Thread.SpinWait(5_000); // widens the window an overlapping call would need
                Interlocked.Decrement(ref inside);
                Interlocked.Increment(ref count);
            });
            await p.Stdout.WriteLineAsync("ready");
            while (await p.Stdin.ReadLineAsync() is { } line && line != "end")
            {
            }

            await p.Stdout.WriteLineAsync($"count={Volatile.Read(ref count)} overlapped={Volatile.Read(ref overlapped)}");
        }));
        await using SshClientProcess process = await pair.Client.CreateProcessAsync(null, new SshProcessOptions { Terminal = new SshTerminal("xterm", 80, 24) }).WaitAsync(TestTimeout.Default);
        await ReadUntilAsync(process, "ready");

        Task requests = Task.Run(async () =>
        {
            for (int i = 0; i < EachSource; i++)
            {
                await process.SendSignalAsync("USR1");
            }
        });
        Task interrupts = Task.Run(async () =>
        {
            for (int i = 0; i < EachSource; i++)
            {
                await process.Stdin.WriteAsync(new byte[] { 3 }); // ctrl-C: the line editor's INT
            }
        });
        await Task.WhenAll(requests, interrupts).WaitAsync(TestTimeout.Default);

        // Both sources were fed before "end": the requests precede it on the channel, the ctrl-Cs in stdin.
        await process.Stdin.WriteAsync("end\r").WaitAsync(TestTimeout.Default);
        string result = await ReadUntilAsync(process, "count=");

        Assert.Equal($"count={2 * EachSource} overlapped=False", result[result.IndexOf("count=", StringComparison.Ordinal)..]);
    }

    private static async Task<string> ReadUntilAsync(SshClientProcess process, string marker)
    {
        while (await process.Stdout.ReadLineAsync().AsTask().WaitAsync(TestTimeout.Default) is { } line)
        {
            if (line.Contains(marker, StringComparison.Ordinal))
            {
                return line.TrimEnd('\r');
            }
        }

        throw new InvalidOperationException($"Output ended before '{marker}'.");
    }
}
