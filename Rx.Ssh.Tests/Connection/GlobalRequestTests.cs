using System.Buffers.Binary;
using System.Text;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Connection;

/// <summary>
/// Global requests (RFC 4254 section 4) on client and server connected in memory: requests carry
/// data and replies carry it back, both ways; unknown names are refused; replies keep request
/// order whatever order the handlers finish in; no reply without want-reply; a failing handler is a
/// failure reply, not a dead connection; pending requests are bounded.
/// </summary>
public sealed class GlobalRequestTests
{
    private const string Port = "port@rx-ssh.test";

    private static byte[] UInt32(uint value)
    {
        byte[] data = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(data, value);
        return data;
    }

    // Answers with the requested port plus one (as tcpip-forward with port 0 answers the allocated port).
    private static ValueTask<SshGlobalReply> NextPort(SshGlobalRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SshGlobalReply.Succeeded(UInt32(BinaryPrimitives.ReadUInt32BigEndian(request.Data.Span) + 1)));

    [Fact]
    public async Task A_request_with_data_gets_the_reply_data_back_in_both_directions()
    {
        SshServerOptions server = InMemoryServer.DefaultServerOptions() with
        {
            GlobalRequestHandlers = new Dictionary<string, SshGlobalRequestHandler> { [Port] = NextPort },
        };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(server);
        using IDisposable registration = pair.Client.RegisterGlobalRequestHandler(Port, NextPort);

        SshGlobalReply toServer = await pair.Client.SendGlobalRequestAsync(Port, UInt32(41)).WithTimeout();
        SshGlobalReply toClient = await pair.Server.SendGlobalRequestAsync(Port, UInt32(7000)).WithTimeout();

        Assert.True(toServer.Success);
        Assert.True(toServer.Replied);
        Assert.Equal(42u, BinaryPrimitives.ReadUInt32BigEndian(toServer.Data.Span));
        Assert.True(toClient.Success);
        Assert.Equal(7001u, BinaryPrimitives.ReadUInt32BigEndian(toClient.Data.Span));
    }

    [Fact]
    public async Task An_unknown_or_unregistered_name_is_answered_with_failure()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync();
        IDisposable registration = pair.Server.RegisterGlobalRequestHandler(Port, NextPort);
        Assert.True((await pair.Client.SendGlobalRequestAsync(Port, UInt32(1)).WithTimeout()).Success);
        registration.Dispose();

        SshGlobalReply unregistered = await pair.Client.SendGlobalRequestAsync(Port, UInt32(1)).WithTimeout();
        SshGlobalReply unknownToServer = await pair.Client.SendGlobalRequestAsync("nope@rx-ssh.test", UInt32(1)).WithTimeout();
        SshGlobalReply unknownToClient = await pair.Server.SendGlobalRequestAsync("nope@rx-ssh.test", ReadOnlyMemory<byte>.Empty).WithTimeout();

        foreach (SshGlobalReply reply in new[] { unregistered, unknownToServer, unknownToClient })
        {
            Assert.True(reply.Replied);
            Assert.False(reply.Success);
            Assert.True(reply.Data.IsEmpty);
        }
    }

    [Fact]
    public async Task Replies_go_out_in_request_order_when_a_later_handler_finishes_first()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("ok\n")));
        var releaseSlow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fastDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using IDisposable slow = pair.Server.RegisterGlobalRequestHandler("slow@rx-ssh.test", async (request, token) =>
        {
            await releaseSlow.Task.WaitAsync(token);
            return SshGlobalReply.Succeeded(Encoding.ASCII.GetBytes("slow"));
        });
        using IDisposable fast = pair.Server.RegisterGlobalRequestHandler("fast@rx-ssh.test", (request, token) =>
        {
            fastDone.TrySetResult();
            return ValueTask.FromResult(SshGlobalReply.Succeeded(Encoding.ASCII.GetBytes("fast")));
        });

        Task<SshGlobalReply> first = pair.Client.SendGlobalRequestAsync("slow@rx-ssh.test", ReadOnlyMemory<byte>.Empty);
        Task<SshGlobalReply> second = pair.Client.SendGlobalRequestAsync("fast@rx-ssh.test", ReadOnlyMemory<byte>.Empty);
        Task<SshGlobalReply> third = pair.Client.SendGlobalRequestAsync("unknown@rx-ssh.test", ReadOnlyMemory<byte>.Empty);
        await fastDone.Task.WithTimeout();

        // A round trip through the server: a reply sent out of order would have arrived by now.
        Assert.Equal("ok\n", (await pair.Client.RunAsync("x").WaitAsync(TestTimeout.Default)).Stdout);
        Assert.False(second.IsCompleted, "the fast handler's reply overtook the slow one's");
        Assert.False(third.IsCompleted, "the unknown request's failure overtook the slow one's reply");

        releaseSlow.SetResult();
        Assert.Equal("slow", Encoding.ASCII.GetString((await first.WithTimeout()).Data.Span));
        Assert.Equal("fast", Encoding.ASCII.GetString((await second.WithTimeout()).Data.Span));
        Assert.False((await third.WithTimeout()).Success);
    }

    [Fact]
    public async Task A_request_without_want_reply_runs_its_handler_and_gets_no_reply()
    {
        var logs = new LogCollector();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(client: InMemoryServer.DefaultClientOptions() with { LoggerFactory = logs });
        var seen = new TaskCompletionSource<SshGlobalRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        using IDisposable registration = pair.Server.RegisterGlobalRequestHandler(Port, (request, token) =>
        {
            seen.TrySetResult(request);
            return ValueTask.FromResult(SshGlobalReply.Succeeded(UInt32(99)));
        });

        SshGlobalReply sent = await pair.Client.SendGlobalRequestAsync(Port, UInt32(5), wantReply: false).WithTimeout();
        SshGlobalReply unknown = await pair.Client.SendGlobalRequestAsync("unknown@rx-ssh.test", ReadOnlyMemory<byte>.Empty, wantReply: false).WithTimeout();
        SshGlobalRequest request = await seen.Task.WithTimeout();

        Assert.Same(SshGlobalReply.NotRequested, sent);
        Assert.Same(SshGlobalReply.NotRequested, unknown);
        Assert.False(request.WantReply);
        Assert.Equal(5u, BinaryPrimitives.ReadUInt32BigEndian(request.Data.Span));

        // The next request that wants a reply gets its own (a stray success would be taken for it).
        SshGlobalReply next = await pair.Client.SendGlobalRequestAsync("unknown@rx-ssh.test", ReadOnlyMemory<byte>.Empty).WithTimeout();
        Assert.False(next.Success);
        Assert.True(next.Replied);
        Assert.Single(logs.Entries, e => e.EventId == SshLogEvents.Connection.GlobalReplyReceived);
    }

    [Fact]
    public async Task A_handler_that_throws_is_answered_with_failure_and_the_connection_lives_on()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync();
        using IDisposable throwing = pair.Server.RegisterGlobalRequestHandler("throw@rx-ssh.test", (request, token) => throw new InvalidOperationException("boom"));
        using IDisposable throwingAsync = pair.Server.RegisterGlobalRequestHandler("throw-async@rx-ssh.test", async (request, token) =>
        {
            await Task.Yield();
            throw new InvalidOperationException("boom");
        });
        using IDisposable good = pair.Server.RegisterGlobalRequestHandler(Port, NextPort);

        Assert.False((await pair.Client.SendGlobalRequestAsync("throw@rx-ssh.test", ReadOnlyMemory<byte>.Empty).WithTimeout()).Success);
        Assert.False((await pair.Client.SendGlobalRequestAsync("throw-async@rx-ssh.test", ReadOnlyMemory<byte>.Empty).WithTimeout()).Success);
        SshGlobalReply after = await pair.Client.SendGlobalRequestAsync(Port, UInt32(1)).WithTimeout();

        Assert.True(after.Success);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(after.Data.Span));
        Assert.False(pair.Server.Completion.IsCompleted);
        Assert.False(pair.Client.Completion.IsCompleted);
    }

    [Theory]
    [InlineData(SshConnectionOptions.DefaultMaxPendingRequests)]
    [InlineData(4)]
    public async Task Pending_requests_are_bounded_then_reading_resumes_and_every_reply_comes_in_order(int bound)
    {
        int requests = bound + 36;
        var logs = new LogCollector();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions() with { MaxPendingRequests = bound, LoggerFactory = logs });
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var allBoundStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task full = logs.WaitForAsync(SshLogEvents.Connection.ReadingPaused);
        int started = 0;
        using IDisposable registration = pair.Server.RegisterGlobalRequestHandler(Port, async (request, token) =>
        {
            if (Interlocked.Increment(ref started) == bound)
            {
                allBoundStarted.TrySetResult();
            }

            await release.Task.WaitAsync(token);
            return await NextPort(request, token);
        });

        Task<SshGlobalReply>[] replies = [.. Enumerable.Range(0, requests).Select(i => pair.Client.SendGlobalRequestAsync(Port, UInt32((uint)i)))];
        await full.WithTimeout();
        await allBoundStarted.Task.WithTimeout();

        // The dispatch loop stopped at the bound: no handler beyond it has been started.
        Assert.Equal(bound, Volatile.Read(ref started));
        Assert.DoesNotContain(replies, r => r.IsCompleted);

        release.SetResult();
        for (int i = 0; i < requests; i++)
        {
            SshGlobalReply reply = await replies[i].WithTimeout();
            Assert.Equal((uint)i + 1, BinaryPrimitives.ReadUInt32BigEndian(reply.Data.Span));
        }

        Assert.Equal(requests, Volatile.Read(ref started));
        Assert.False(pair.Server.Completion.IsCompleted);
    }

    [Fact]
    public async Task A_request_waiting_for_its_reply_fails_when_the_connection_ends()
    {
        InMemoryServer pair = await InMemoryServer.StartAsync();
        await using (pair)
        {
            using IDisposable registration = pair.Server.RegisterGlobalRequestHandler(Port, async (request, token) =>
            {
                await Task.Delay(Timeout.Infinite, token);
                return SshGlobalReply.Failed;
            });
            Task<SshGlobalReply> waiting = pair.Client.SendGlobalRequestAsync(Port, UInt32(1));

            await pair.Server.DisposeAsync();

            await Assert.ThrowsAsync<SshConnectionException>(() => waiting.WithTimeout());
            await Assert.ThrowsAsync<SshConnectionException>(() => pair.Client.SendGlobalRequestAsync(Port, UInt32(1)).WithTimeout());
        }
    }

    [Fact]
    public async Task A_second_handler_for_the_same_name_is_refused()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync();
        using IDisposable registration = pair.Client.RegisterGlobalRequestHandler(Port, NextPort);

        Assert.Throws<InvalidOperationException>(() => pair.Client.RegisterGlobalRequestHandler(Port, NextPort));
    }
}
