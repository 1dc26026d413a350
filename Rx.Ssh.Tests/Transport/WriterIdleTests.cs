using System.Runtime.ExceptionServices;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Transport;

/// <summary>
/// The transport's writer goes idle after every burst. Waiting again must not replace (and so
/// cancel) the wait it left pending on its other queue: each cancelled wait is a thrown
/// <see cref="OperationCanceledException"/>, thousands per GiB, CPU spent and a debugger set to
/// break on thrown exceptions stopped in the writer. Counted process-wide, so this runs on its own.
/// </summary>
[Collection(HeapMeasuringCollection.Name)]
public sealed class WriterIdleTests
{
    [Fact]
    public async Task A_conversation_of_many_small_exchanges_throws_no_cancelled_waits()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(EchoAsync));
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("echo").WaitAsync(TestTimeout.Default);
        await process.Stdin.WriteLineAsync("warm-up");
        Assert.Equal("warm-up", await process.Stdout.ReadLineAsync().AsTask().WaitAsync(TestTimeout.Default));

        int superseded = 0;
        void Count(object? sender, FirstChanceExceptionEventArgs e)
        {
            // A superseded channel wait is cancelled without a token (a shutdown's carries the cancelled one).
            if (e.Exception is OperationCanceledException { CancellationToken.CanBeCanceled: false })
            {
                Interlocked.Increment(ref superseded);
            }
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            // Each line out and its echo back leaves both ends' writers idle in between.
            for (int i = 0; i < 200; i++)
            {
                await process.Stdin.WriteLineAsync($"line {i}");
                Assert.Equal($"line {i}", await process.Stdout.ReadLineAsync().AsTask().WaitAsync(TestTimeout.Default));
            }
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        // One per exchange and end (400) when the writer replaced its waits; a few allowed for
        // anything else in the process cancelling without a token meanwhile.
        Assert.True(Volatile.Read(ref superseded) < 10, $"{superseded} token-less cancellations were thrown in 200 exchanges.");
        await process.Stdin.CloseAsync();
        Assert.Equal(0, (await process.WaitForExitAsync().WaitAsync(TestTimeout.Default)).ExitStatus);
    }

    private static async Task EchoAsync(SshServerProcess process)
    {
        while (await process.Stdin.ReadLineAsync() is { } line)
        {
            await process.Stdout.WriteLineAsync(line);
        }
    }
}
