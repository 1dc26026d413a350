using System.Reactive.Linq;
using System.Reactive.Subjects;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Client;

/// <summary>
/// <see cref="SshProcessWriter.WriteFromAsync(IObservable{ReadOnlyMemory{byte}}, bool?, CancellationToken)"/>
/// holds at most <see cref="SshChannelSettings.MaxQueuedOutputBytes"/> of a source faster than the
/// channel, holding the emitter back past it (issue 11, item 4).
/// </summary>
[Collection(HeapMeasuringCollection.Name)]
public sealed class WriteFromObservableTests
{
    private const int Chunk = 32 * 1024;
    private const long QueueBound = 1024 * 1024;

    [Fact]
    public async Task A_hot_subject_pushing_256_MiB_into_a_slower_channel_keeps_memory_bounded_and_loses_nothing()
    {
        const long total = 256L * 1024 * 1024;
        var received = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var logs = new LogCollector();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            InMemoryServer.DefaultServerOptions(p => CountInputAsync(p, received)),
            ClientOptions(logs));
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("sink").WaitAsync(TestTimeout.Default);
        using var source = new Subject<ReadOnlyMemory<byte>>();
        Task writing = process.Stdin.WriteFromAsync(source);

        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        long highest = 0;
        var emitter = new Thread(() =>
        {
            for (long sent = 0; sent < total; sent += Chunk)
            {
                // A fresh buffer each time, as a hot source reading a socket would hand over.
                source.OnNext(new byte[Chunk]);
                if (sent % (32L * 1024 * 1024) == 0)
                {
                    highest = Math.Max(highest, GC.GetTotalMemory(forceFullCollection: true) - baseline);
                }
            }

            source.OnCompleted();
        }) { IsBackground = true };
        emitter.Start();

        await writing.WaitAsync(TestTimeout.Long);
        Assert.Equal(total, await received.Task.WaitAsync(TestTimeout.Long));
        Assert.True(emitter.Join(TestTimeout.Default));

        await AssertCopyBoundedAsync(logs, total);
        Assert.True(highest < 64L * 1024 * 1024, $"The managed heap grew by {highest} bytes while 256 MiB went through.");
        Assert.Equal(0, (await process.WaitForExitAsync().WaitAsync(TestTimeout.Default)).ExitStatus);
    }

    [Fact]
    public async Task A_cold_source_that_emits_while_subscribing_does_not_deadlock_on_the_bound()
    {
        const int chunks = 256; // 8 MiB through a 1 MiB queue, all emitted inside Subscribe
        var received = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var logs = new LogCollector();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            InMemoryServer.DefaultServerOptions(p => CountInputAsync(p, received)),
            ClientOptions(logs));
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("sink").WaitAsync(TestTimeout.Default);

        await Task.Run(() => process.Stdin.WriteFromAsync(Observable.Range(0, chunks).Select(_ => (ReadOnlyMemory<byte>)new byte[Chunk]))).WaitAsync(TestTimeout.Long);

        Assert.Equal((long)chunks * Chunk, await received.Task.WaitAsync(TestTimeout.Long));
        await AssertCopyBoundedAsync(logs, (long)chunks * Chunk);
    }

    [Fact]
    public async Task The_sources_error_fails_the_write_and_releases_the_emitter()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            InMemoryServer.DefaultServerOptions(async p => await p.Stdin.ReadToEndAsync()),
            ClientOptions());
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("sink").WaitAsync(TestTimeout.Default);
        using var source = new Subject<ReadOnlyMemory<byte>>();
        Task writing = process.Stdin.WriteFromAsync(source);

        source.OnNext(new byte[10]);
        source.OnError(new InvalidDataException("broken source"));

        InvalidDataException error = await Assert.ThrowsAsync<InvalidDataException>(() => writing.WaitAsync(TestTimeout.Default));
        Assert.Equal("broken source", error.Message);
    }

    private static SshClientOptions ClientOptions(LogCollector? logs = null) =>
        InMemoryServer.DefaultClientOptions() with { ChannelSettings = new SshChannelSettings { MaxQueuedOutputBytes = QueueBound }, LoggerFactory = logs };

    // The copy's closing log entry says how much it wrote and the most it ever held queued.
    private static async Task AssertCopyBoundedAsync(LogCollector logs, long total)
    {
        LogEntry done = await logs.WaitForAsync(SshLogEvents.Connection.WriteFromDone).WaitAsync(TestTimeout.Default);
        Assert.Equal(total, done.Value<long>("Bytes"));
        Assert.InRange(done.Value<long>("Queued"), Chunk, QueueBound);
    }

    private static async Task CountInputAsync(SshServerProcess process, TaskCompletionSource<long> received)
    {
        long read = 0;
        byte[] buffer = new byte[16 * 1024];
        int n;
        while ((n = await process.Stdin.ReadAsync(buffer)) > 0)
        {
            read += n;
        }

        received.TrySetResult(read);
    }
}
