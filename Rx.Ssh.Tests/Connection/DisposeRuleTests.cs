using System.Net.Sockets;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Connection;

/// <summary>
/// The one disposal rule (ARCHITECTURE.md, "Disposal"; issue 11, item 5): types that own I/O are
/// <see cref="IAsyncDisposable"/>; their synchronous <c>Dispose</c> does the same work and returns
/// once it is done, except on a connection's dispatch loop (or inside the listener's own
/// <c>OnNext</c>), where it starts the work and returns instead of deadlocking.
/// </summary>
public sealed class DisposeRuleTests
{
    [Fact]
    public async Task After_a_client_connections_Dispose_returns_both_sides_have_ended()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("ok\n")));

        await Task.Run(pair.Client.Dispose).WaitAsync(TestTimeout.Default);

        Assert.True(pair.Client.Completion.IsCompleted);
        Assert.Null(await pair.Client.Completion);
        await pair.Server.Completion.WaitAsync(TestTimeout.Default); // the server sees the disconnect
        await Assert.ThrowsAsync<SshConnectionException>(() => pair.Client.RunAsync("x").WaitAsync(TestTimeout.Default));
    }

    [Fact]
    public async Task After_a_server_connections_Dispose_returns_its_Completion_is_complete()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("ok\n")));

        await Task.Run(pair.Server.Dispose).WaitAsync(TestTimeout.Default);

        Assert.True(pair.Server.Completion.IsCompleted);
        Assert.Null(await pair.Server.Completion);
        await pair.Client.Completion.WaitAsync(TestTimeout.Default);
    }

    [Fact]
    public async Task Dispose_on_the_dispatch_loop_starts_the_disconnect_without_deadlocking()
    {
        var logs = new LogCollector();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(client: InMemoryServer.DefaultClientOptions() with { LoggerFactory = logs });
        var returned = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using IDisposable onReply = logs.Observe(SshLogEvents.Connection.GlobalReplyReceived).Subscribe(_ =>
        {
            // Logged on the client's dispatch loop: waiting here for the loop to end would never return.
            pair.Client.Dispose();
            returned.TrySetResult(SshConnection.OnDispatchLoop);
        });

        Task<SshGlobalReply> reply = pair.Client.SendGlobalRequestAsync("nothing@example.com", ReadOnlyMemory<byte>.Empty);

        Assert.True(await returned.Task.WaitAsync(TestTimeout.Default));
        await pair.Client.Completion.WaitAsync(TestTimeout.Default);
        await reply.WaitAsync(TestTimeout.Default);
    }

    [Fact]
    public async Task After_a_client_processs_Dispose_returns_its_channel_is_closed_both_ways()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logs = new LogCollector();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(
            InMemoryServer.DefaultServerOptions(async p =>
            {
                started.TrySetResult();
                await Task.Delay(Timeout.Infinite, p.Closed);
            }),
            InMemoryServer.DefaultClientOptions() with { LoggerFactory = logs });
        SshClientProcess process = await pair.Client.CreateProcessAsync("wait").WaitAsync(TestTimeout.Default);
        await started.Task.WaitAsync(TestTimeout.Default);

        await Task.Run(process.Dispose).WaitAsync(TestTimeout.Default);

        // The client logs a channel's close once CLOSE went both ways and it left the table.
        Assert.Contains(logs.Entries, e => e.EventId == SshLogEvents.Connection.ChannelClosed && e.Value<string>("Type") == "session");
        process.Dispose(); // a second call does nothing
    }

    [Fact]
    public async Task A_server_processs_Dispose_exits_it_with_its_ExitStatus()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            using (p)
            {
                await p.Stdout.WriteAsync("bye\n");
                p.ExitStatus = 7;
            }

            await p.Stdout.WriteAsync("too late\n"); // after the exit: goes nowhere
        }));

        SshCompletedProcess result = await pair.Client.RunAsync("x").WaitAsync(TestTimeout.Default);

        Assert.Equal(7, result.ExitStatus);
        Assert.Equal("bye\n", result.Stdout);
    }

    [Fact]
    public async Task A_server_processs_Dispose_inside_a_Breaks_observer_exits_without_deadlocking()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(async p =>
        {
            using IDisposable subscription = p.Breaks.Subscribe(_ =>
            {
                // Called for the client's break, whose reply waits for this observer: Dispose must not wait for the exit.
                p.ExitStatus = 5;
                p.Dispose();
            });
            await p.Stdout.WriteLineAsync("ready");
            await Task.Delay(Timeout.Infinite, p.Closed);
        }));
        await using SshClientProcess process = await pair.Client.CreateProcessAsync("x").WaitAsync(TestTimeout.Default);
        Assert.Equal("ready", await process.Stdout.ReadLineAsync().AsTask().WaitAsync(TestTimeout.Default));

        Assert.True(await process.SendBreakAsync(100).WaitAsync(TestTimeout.Default));

        Assert.Equal(5, (await process.WaitForExitAsync().WaitAsync(TestTimeout.Default)).ExitStatus);
    }

    [Fact]
    public async Task After_the_listeners_Dispose_returns_Connections_has_completed_and_the_port_is_closed()
    {
        SshListener listener = SshListener.Start(InMemoryServer.DefaultServerOptions() with { Port = 0 });
        int port = listener.Port;
        var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using IDisposable subscription = listener.Connections.Subscribe(_ => { }, completed.SetResult);

        await Task.Run(listener.Dispose).WaitAsync(TestTimeout.Default);

        Assert.True(completed.Task.IsCompleted);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAnyAsync<SocketException>(() => socket.ConnectAsync("127.0.0.1", port).WaitAsync(TestTimeout.Default));
    }

    [Fact]
    public async Task The_listeners_Dispose_inside_its_own_OnNext_does_not_deadlock()
    {
        SshListener listener = SshListener.Start(InMemoryServer.DefaultServerOptions() with { Port = 0 });
        var disposed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var completed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using IDisposable subscription = listener.Connections.Subscribe(
            _ =>
            {
                listener.Dispose();
                disposed.TrySetResult();
            },
            completed.SetResult);

        await using SshClientConnection client = await SshClient.ConnectAsync("127.0.0.1", listener.Port, InMemoryServer.DefaultClientOptions() with { LoginTimeout = TestTimeout.Default }).WaitAsync(TestTimeout.Default);

        await disposed.Task.WaitAsync(TestTimeout.Default);
        await completed.Task.WaitAsync(TestTimeout.Default);
    }
}
