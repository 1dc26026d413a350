using System.Net;
using System.Net.Sockets;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Server;

/// <summary>The accept loop survives failed accepts and failing handlers (issue 9, M1).</summary>
public sealed class ServerListenerAcceptTests
{
    private static SshServerOptions Options() => InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("ok\n")) with { Port = 0 };

    private static SshClientOptions ClientOptions() => InMemoryServer.DefaultClientOptions() with { LoginTimeout = TestTimeout.Default };

    [Fact]
    public async Task Failed_accepts_are_retried_after_a_growing_backoff_on_the_scheduler()
    {
        var clock = new VirtualClock();
        SocketError[] failures = [SocketError.TooManyOpenSockets, SocketError.ConnectionAborted, SocketError.TooManyOpenSockets];
        int calls = 0;
        var errors = new List<Exception>();
        await using SshListener listener = SshListener.Start(Options() with { Scheduler = clock }, (socket, ct) =>
        {
            int call = Interlocked.Increment(ref calls) - 1;
            return call < failures.Length ? ValueTask.FromException<Socket>(new SocketException((int)failures[call])) : socket.AcceptAsync(ct);
        });
        var connections = new List<SshServerConnection>();
        var emitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using IDisposable subscription = listener.Connections.Subscribe(
            c =>
            {
                lock (connections)
                {
                    connections.Add(c);
                }

                emitted.TrySetResult();
            },
            errors.Add);

        // Each failure waits on the scheduler, twice as long as the one before; nothing is retried until the clock moves.
        foreach (int ms in new[] { 10, 20, 40 })
        {
            await clock.WhenScheduledAsync(TimeSpan.FromMilliseconds(ms)).WithTimeout();
            Assert.Equal(ms switch { 10 => 1, 20 => 2, _ => 3 }, Volatile.Read(ref calls));
            clock.AdvanceBy(TimeSpan.FromMilliseconds(ms));
        }

        await using SshClientConnection client = await SshClient.ConnectAsync("127.0.0.1", listener.Port, ClientOptions()).WaitAsync(TestTimeout.Default);
        Assert.Equal("ok\n", (await client.RunAsync("x").WaitAsync(TestTimeout.Default)).Stdout);

        // The listener emits the connection on its own task, which may come after the session was served.
        await emitted.Task.WaitAsync(TestTimeout.Default);
        Assert.Empty(errors);
        lock (connections)
        {
            Assert.Single(connections);
        }
    }

    [Fact]
    public async Task A_socket_broken_before_it_is_served_is_dropped_and_the_listener_goes_on()
    {
        int calls = 0;
        await using SshListener listener = SshListener.Start(Options(), async (socket, ct) =>
        {
            Socket accepted = await socket.AcceptAsync(ct);
            if (Interlocked.Increment(ref calls) == 1)
            {
                // Setting NoDelay (or reading the peer's address) on it now throws, as on a socket reset by the peer.
                accepted.Dispose();
            }

            return accepted;
        });

        using (TcpClient first = await RawTcp.ConnectAsync(listener.Port))
        {
            Assert.Equal(0, await RawTcp.ReadOrResetAsync(first.GetStream()));
        }

        await using SshClientConnection client = await SshClient.ConnectAsync("127.0.0.1", listener.Port, ClientOptions()).WaitAsync(TestTimeout.Default);
        Assert.Equal("ok\n", (await client.RunAsync("x").WaitAsync(TestTimeout.Default)).Stdout);
        Assert.Equal(0, listener.UnauthenticatedConnections);
    }

    public static TheoryData<string> FailingCallbacks => new() { "HandlerFactory", "ConnectionMade" };

    [Theory]
    [MemberData(nameof(FailingCallbacks))]
    public async Task A_throwing_handler_closes_the_socket_and_the_next_connection_is_served(string failing)
    {
        int made = 0;
        var logs = new LogCollector(SshLogEvents.Server.AuthenticationEnded);
        SshServerOptions options = Options() with
        {
            HandlerFactory = () =>
            {
                bool first = Interlocked.Increment(ref made) == 1;
                return first && failing == "HandlerFactory" ? throw new InvalidOperationException("factory failed") : new FailingHandler(first);
            },
            LoggerFactory = logs,
        };
        await using SshListener listener = await SshServer.StartAsync(options);

        using (TcpClient refused = await RawTcp.ConnectAsync(listener.Port))
        {
            // Closed at once, before the version line: the handler failed before the transport started.
            Assert.Equal(0, await RawTcp.ReadOrResetAsync(refused.GetStream()));
        }

        await logs.WhenNoneAuthenticatingAsync(listener).WithTimeout();
        await using SshClientConnection client = await SshClient.ConnectAsync("127.0.0.1", listener.Port, ClientOptions()).WaitAsync(TestTimeout.Default);
        Assert.Equal("ok\n", (await client.RunAsync("x").WaitAsync(TestTimeout.Default)).Stdout);
    }

    [Fact]
    public async Task AcceptAsync_closes_the_stream_when_the_handler_factory_throws()
    {
        (Stream client, Stream server) = Rx.Ssh.Testing.InMemoryStream.CreatePair();
        await using (client)
        {
            SshServerOptions options = InMemoryServer.DefaultServerOptions() with { HandlerFactory = () => throw new InvalidOperationException("factory failed") };
            await Assert.ThrowsAsync<InvalidOperationException>(() => SshServer.AcceptAsync(server, options).WithTimeout());
            Assert.Equal(0, await client.ReadAsync(new byte[16]).AsTask().WithTimeout());
        }
    }

    [Fact]
    public async Task A_throwing_subscriber_stops_neither_the_listener_nor_the_other_subscribers()
    {
        const string bug = "subscriber bug (issue 9, L13)";
        var unobserved = new List<Exception>();
        EventHandler<UnobservedTaskExceptionEventArgs> record = (_, e) =>
        {
            lock (unobserved)
            {
                unobserved.Add(e.Exception);
            }
        };
        TaskScheduler.UnobservedTaskException += record;
        try
        {
            await using (SshListener listener = await SshServer.StartAsync(Options()))
            {
                var seen = new List<SshServerConnection>();
                var both = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                using IDisposable throwing = listener.Connections.Subscribe(_ => throw new InvalidOperationException(bug));
                using IDisposable counting = listener.Connections.Subscribe(c =>
                {
                    lock (seen)
                    {
                        seen.Add(c);
                        if (seen.Count == 2)
                        {
                            both.TrySetResult();
                        }
                    }
                });

                for (int i = 0; i < 2; i++)
                {
                    await using SshClientConnection client = await SshClient.ConnectAsync("127.0.0.1", listener.Port, ClientOptions()).WaitAsync(TestTimeout.Default);
                    Assert.Equal("ok\n", (await client.RunAsync("x").WaitAsync(TestTimeout.Default)).Stdout);
                }

                await both.Task.WithTimeout();
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            lock (unobserved)
            {
                Assert.DoesNotContain(unobserved, e => e.ToString().Contains(bug, StringComparison.Ordinal));
            }
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= record;
        }
    }

    private sealed class FailingHandler(bool fail) : SshServerHandler
    {
        public override void ConnectionMade(EndPoint? remoteEndPoint)
        {
            if (fail)
            {
                throw new InvalidOperationException("ConnectionMade failed");
            }
        }
    }
}
