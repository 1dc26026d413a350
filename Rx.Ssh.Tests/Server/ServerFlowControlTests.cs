using Rx.Ssh.Client;
using Rx.Ssh.Connection;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Server;

public sealed class ServerFlowControlTests
{
    [Fact]
    public async Task AProcessThatDoesNotReadStopsTheClient()
    {
        const int Total = 8 * 1024 * 1024;
        var readOneMegabyte = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var readAll = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            if (p.Command == "ping")
            {
                return;
            }

            byte[] buffer = new byte[64 * 1024];
            long read = 0;
            while (read < 1024 * 1024)
            {
                read += await p.Stdin.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, (1024 * 1024) - read)));
            }

            readOneMegabyte.SetResult();
            await gate.Task;
            int n;
            while ((n = await p.Stdin.ReadAsync(buffer)) > 0)
            {
                read += n;
            }

            readAll.SetResult(read);
        }));
        SshChannel channel = await pair.Client.OpenChannelAsync("session", null, CancellationToken.None).WaitAsync(TestTimeout.Default);
        await SessionRequests.StartAsync(channel, "exec", "sink", new SshProcessOptions(), SessionDefaults.None, null, CancellationToken.None).WaitAsync(TestTimeout.Default);

        Task write = channel.WriteAsync(new byte[Total], null, CancellationToken.None).AsTask();
        await readOneMegabyte.Task.WaitAsync(TestTimeout.Default);
        // A round trip on another channel: the server has handled everything the client sent before it.
        await pair.Client.RunAsync("ping").WaitAsync(TestTimeout.Default);

        Assert.False(write.IsCompleted, "the client sent 8 MiB although the server process read only 1 MiB of a 2 MiB window");

        gate.SetResult();
        await write.WaitAsync(TestTimeout.Default);
        await channel.SendEofAsync();
        Assert.Equal(Total, await readAll.Task.WaitAsync(TestTimeout.Default));
    }

    [Fact]
    public async Task AClientThatDoesNotReadStopsTheProcess()
    {
        var wrote = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var progress = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long written = 0;
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            if (p.Command == "ping")
            {
                return;
            }

            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 128; i++)
            {
                await p.Stdout.WriteAsync(chunk);
                Interlocked.Add(ref written, chunk.Length);
                if (Interlocked.Read(ref written) >= 1024 * 1024)
                {
                    progress.TrySetResult();
                }
            }

            wrote.SetResult(written);
        }));
        SshChannel channel = await pair.Client.OpenChannelAsync("session", null, CancellationToken.None).WaitAsync(TestTimeout.Default);
        await SessionRequests.StartAsync(channel, "exec", "source", new SshProcessOptions(), SessionDefaults.None, null, CancellationToken.None).WaitAsync(TestTimeout.Default);
        await progress.Task.WaitAsync(TestTimeout.Default);
        await pair.Client.RunAsync("ping").WaitAsync(TestTimeout.Default);

        // Window 2 MiB (the client's) + at most one 64 KiB write in flight + the transport's 1 MiB queue.
        Assert.InRange(Interlocked.Read(ref written), 1024 * 1024, (3 * 1024 * 1024) + (64 * 1024));
        Assert.False(wrote.Task.IsCompleted);

        long received = 0;
        while (received < 8 * 1024 * 1024)
        {
            ChannelEvent e = await channel.Events.ReadAsync().AsTask().WaitAsync(TestTimeout.Default);
            received += e.Length;
            channel.Consumed(e);
        }

        Assert.Equal(8 * 1024 * 1024, await wrote.Task.WaitAsync(TestTimeout.Default));
    }
}
