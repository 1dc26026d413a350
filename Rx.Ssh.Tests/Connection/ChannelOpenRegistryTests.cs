using System.Collections.Concurrent;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using Rx.Ssh.Connection;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Wire;
using Xunit;

namespace Rx.Ssh.Tests.Connection;

/// <summary>
/// Incoming channels by type (RFC 4254 section 5.1) on client and server connected in memory:
/// two-phase accept after an await with data both ways, a later reject with its reason, unknown
/// types refused, a throwing handler refused without harming the connection, both roles, pending
/// opens refused when the connection ends and bounded by the read gate.
/// </summary>
public sealed class ChannelOpenRegistryTests
{
    private const string Echo = "echo@rx-ssh.test";

    private static Action<SshWriter> Extra(string text) => w => w.WriteString(text);

    private static string ReadExtra(SshPendingChannel pending)
    {
        var reader = new SshReader(pending.ExtraData.Span);
        string text = reader.ReadUtf8String();
        reader.ReadEnd();
        return text;
    }

    private static async Task<string> ReadTextAsync(SshChannel channel)
    {
        ChannelEvent e = await channel.Events.ReadAsync().AsTask().WithTimeout();
        Assert.Equal(ChannelEventKind.Data, e.Kind);
        string text = Encoding.UTF8.GetString(e.Data.Span);
        channel.Consumed(e);
        return text;
    }

    private static ValueTask WriteTextAsync(SshChannel channel, string text) =>
        channel.WriteAsync(Encoding.UTF8.GetBytes(text), null, CancellationToken.None);

    private static SshServerOptions Logged(LogCollector logs) => InMemoryServer.DefaultServerOptions() with { LoggerFactory = logs };

    // The server's decisions on Echo channels, in order, from its log: each says what became of
    // the channel and how many opens still waited, so a slot left behind would show.
    private static Task<IList<LogEntry>> DecisionsAsync(LogCollector logs, int count) =>
        logs.Observe(SshLogEvents.Connection.ChannelOpenDecided).Where(e => e.Value<string>("Type") == Echo).Take(count).ToList().ToTask().WithTimeout();

    private static async Task AssertDecidedAsync(LogCollector logs, params string[] decisions)
    {
        IList<LogEntry> seen = await DecisionsAsync(logs, decisions.Length);
        Assert.Equal(decisions, seen.Select(e => e.Value<string>("Decision")));
        Assert.Equal(0, seen[^1].Value<int>("Pending"));
    }

    [Fact]
    public async Task A_registered_type_is_accepted_after_an_await_and_carries_data_both_ways()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seen = new TaskCompletionSource<SshPendingChannel>(TaskCreationOptions.RunContinuationsAsynchronously);
        var served = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        async ValueTask Handler(SshPendingChannel pending, CancellationToken cancellationToken)
        {
            seen.SetResult(pending);
            await release.Task.WaitAsync(cancellationToken);
            SshChannel channel = pending.AcceptChannel(windowSize: 65536, maxPacket: 16384);
            await WriteTextAsync(channel, "hello from the server");
            string request = await ReadTextAsync(channel);
            await WriteTextAsync(channel, request.ToUpperInvariant());
            served.SetResult(request);
        }

        var logs = new LogCollector();
        SshServerOptions server = Logged(logs) with
        {
            ChannelOpenHandlers = new Dictionary<string, SshChannelOpenHandler> { [Echo] = Handler },
        };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(server);

        Task<SshChannel> opening = pair.Client.OpenChannelAsync(Echo, Extra("destination:7"), CancellationToken.None, windowSize: 100_000, maxPacket: 20_000);
        SshPendingChannel pending = await seen.Task.WithTimeout();
        Assert.Equal(Echo, pending.ChannelType);
        Assert.Equal("destination:7", ReadExtra(pending));
        Assert.Equal(100_000u, pending.InitialWindowSize);
        Assert.Equal(20_000u, pending.MaxPacketSize);
        Assert.Same(pair.Server, pending.Connection);
        Assert.False(pending.IsDecided);
        Assert.False(opening.IsCompleted);
        Assert.DoesNotContain(logs.Entries, e => e.EventId == SshLogEvents.Connection.ChannelOpenDecided);

        release.SetResult();
        SshChannel client = await opening.WithTimeout();
        Assert.Equal(16384u, client.RemoteMaxPacket);
        Assert.Equal("hello from the server", await ReadTextAsync(client));
        await WriteTextAsync(client, "ping");
        Assert.Equal("PING", await ReadTextAsync(client));
        Assert.Equal("ping", await served.Task.WithTimeout());
        Assert.True(pending.IsDecided);
        await AssertDecidedAsync(logs, "accepted");
        Assert.False(pending.Reject(ChannelOpenFailureReason.ConnectFailed, "too late"));
    }

    [Fact]
    public async Task A_channel_rejected_later_fails_the_open_with_that_reason()
    {
        var seen = new TaskCompletionSource<SshPendingChannel>(TaskCreationOptions.RunContinuationsAsynchronously);
        var logs = new LogCollector();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(Logged(logs));
        using IDisposable registration = pair.Server.RegisterChannelOpenHandler(Echo, (pending, _) =>
        {
            // Decided after the handler returns, as a direct-tcpip connect would.
            seen.SetResult(pending);
            return ValueTask.CompletedTask;
        });

        Task<SshChannel> opening = pair.Client.OpenChannelAsync(Echo, Extra("nowhere:1"), CancellationToken.None);
        SshPendingChannel pending = await seen.Task.WithTimeout();
        Assert.True(pending.Reject(ChannelOpenFailureReason.ConnectFailed, "Connection refused by nowhere:1"));
        Assert.False(pending.Reject(ChannelOpenFailureReason.ResourceShortage, "again"));
        Assert.Throws<InvalidOperationException>(() => pending.Accept());

        SshChannelOpenException error = await Assert.ThrowsAsync<SshChannelOpenException>(() => opening.WithTimeout());
        Assert.Equal(ChannelOpenFailureReason.ConnectFailed, error.Reason);
        Assert.Equal("Connection refused by nowhere:1", error.Description);
        await AssertDecidedAsync(logs, "rejected");
    }

    [Fact]
    public async Task An_unknown_or_unregistered_type_is_refused_with_unknown_channel_type()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync();
        IDisposable registration = pair.Server.RegisterChannelOpenHandler(Echo, (pending, _) =>
        {
            pending.Reject(ChannelOpenFailureReason.AdministrativelyProhibited, "registered");
            return ValueTask.CompletedTask;
        });
        SshChannelOpenException registered = await Assert.ThrowsAsync<SshChannelOpenException>(() => pair.Client.OpenChannelAsync(Echo, null, CancellationToken.None).WithTimeout());
        registration.Dispose();

        SshChannelOpenException unregistered = await Assert.ThrowsAsync<SshChannelOpenException>(() => pair.Client.OpenChannelAsync(Echo, null, CancellationToken.None).WithTimeout());
        SshChannelOpenException toClient = await Assert.ThrowsAsync<SshChannelOpenException>(() => pair.Server.OpenChannelAsync("nope@rx-ssh.test", null, CancellationToken.None).WithTimeout());

        Assert.Equal(ChannelOpenFailureReason.AdministrativelyProhibited, registered.Reason);
        Assert.Equal(ChannelOpenFailureReason.UnknownChannelType, unregistered.Reason);
        Assert.Equal(ChannelOpenFailureReason.UnknownChannelType, toClient.Reason);
    }

    [Fact]
    public async Task A_throwing_handler_refuses_the_channel_and_the_connection_lives_on()
    {
        int calls = 0;
        var logs = new LogCollector();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(Logged(logs));
        using IDisposable registration = pair.Server.RegisterChannelOpenHandler(Echo, (pending, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new InvalidOperationException("secret internal detail");
            }

            pending.Accept();
            return ValueTask.CompletedTask;
        });

        SshChannelOpenException error = await Assert.ThrowsAsync<SshChannelOpenException>(() => pair.Client.OpenChannelAsync(Echo, null, CancellationToken.None).WithTimeout());
        Assert.Equal(ChannelOpenFailureReason.ConnectFailed, error.Reason);
        Assert.DoesNotContain("secret", error.Description, StringComparison.Ordinal);

        SshChannel channel = await pair.Client.OpenChannelAsync(Echo, null, CancellationToken.None).WithTimeout();
        Assert.True(channel.IsConfirmed);
        Assert.False(pair.Client.Completion.IsCompleted);
        await AssertDecidedAsync(logs, "rejected", "accepted");
    }

    [Fact]
    public async Task The_client_accepts_channels_the_server_opens()
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with
        {
            ChannelOpenHandlers = new Dictionary<string, SshChannelOpenHandler>
            {
                [Echo] = async (pending, cancellationToken) =>
                {
                    seen.SetResult(ReadExtra(pending));
                    await Task.Yield();
                    SshChannel channel = pending.AcceptChannel();
                    await WriteTextAsync(channel, await ReadTextAsync(channel) + "!");
                },
            },
        };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(client: client);

        SshChannel channel = await pair.Server.OpenChannelAsync(Echo, Extra("forwarded 127.0.0.1:2222"), CancellationToken.None).WithTimeout();
        await WriteTextAsync(channel, "back");

        Assert.Equal("forwarded 127.0.0.1:2222", await seen.Task.WithTimeout());
        Assert.Equal("back!", await ReadTextAsync(channel));
    }

    [Fact]
    public async Task A_channel_still_pending_when_the_connection_ends_is_abandoned()
    {
        var seen = new TaskCompletionSource<SshPendingChannel>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logs = new LogCollector();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(Logged(logs));
        using IDisposable registration = pair.Server.RegisterChannelOpenHandler(Echo, async (pending, cancellationToken) =>
        {
            seen.SetResult(pending);
            await using (cancellationToken.Register(() => cancelled.SetResult()))
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
        });

        Task<SshChannel> opening = pair.Client.OpenChannelAsync(Echo, null, CancellationToken.None);
        SshPendingChannel pending = await seen.Task.WithTimeout();
        await pair.Server.DisposeAsync();

        await cancelled.Task.WithTimeout();
        Assert.True(pending.IsDecided);
        await AssertDecidedAsync(logs, "abandoned");
        Assert.False(pending.Reject(ChannelOpenFailureReason.ConnectFailed, "late"));
        Assert.Throws<SshConnectionException>(() => pending.Accept());
        await Assert.ThrowsAnyAsync<SshException>(() => opening.WithTimeout());
    }

    [Fact]
    public async Task Past_the_bound_of_pending_opens_the_server_stops_reading_until_one_is_decided()
    {
        var pendings = new ConcurrentQueue<SshPendingChannel>();
        using var arrived = new SemaphoreSlim(0);
        var logs = new LogCollector();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions() with { LoggerFactory = logs });
        Task<LogEntry> full = logs.WaitForAsync(SshLogEvents.Connection.ReadingPaused);
        using IDisposable registration = pair.Server.RegisterChannelOpenHandler(Echo, (pending, _) =>
        {
            pendings.Enqueue(pending);
            arrived.Release();
            return ValueTask.CompletedTask;
        });

        int count = SshConnectionOptions.DefaultMaxPendingRequests + 8;
        Task<SshChannel>[] opening = [.. Enumerable.Range(0, count).Select(_ => pair.Client.OpenChannelAsync(Echo, null, CancellationToken.None))];
        Assert.Equal(SshConnectionOptions.DefaultMaxPendingRequests, (await full.WithTimeout()).Value<int>("Count"));

        // Deciding frees room; the rest are read and decided in turn.
        for (int refused = 0; refused < count; refused++)
        {
            Assert.True(await arrived.WaitAsync(TestTimeout.Default));
            Assert.True(pendings.TryDequeue(out SshPendingChannel? pending));
            Assert.True(pending.Reject(ChannelOpenFailureReason.ResourceShortage, "busy"));
        }

        foreach (Task<SshChannel> open in opening)
        {
            SshChannelOpenException error = await Assert.ThrowsAsync<SshChannelOpenException>(() => open.WithTimeout());
            Assert.Equal(ChannelOpenFailureReason.ResourceShortage, error.Reason);
        }

        await AssertDecidedAsync(logs, [.. Enumerable.Repeat("rejected", count)]);
        Assert.False(pair.Client.Completion.IsCompleted);
    }

    [Fact]
    public async Task The_server_refuses_options_that_register_the_built_in_session_type()
    {
        SshServerOptions options = InMemoryServer.DefaultServerOptions() with
        {
            ChannelOpenHandlers = new Dictionary<string, SshChannelOpenHandler> { ["session"] = (_, _) => ValueTask.CompletedTask },
        };
        using var stream = new MemoryStream();

        await Assert.ThrowsAsync<ArgumentException>(() => SshServer.AcceptCoreAsync(stream, options, null, CancellationToken.None).WithTimeout());
    }
}
