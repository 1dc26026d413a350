using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Text;
using Rx.Ssh.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Rx.Ssh.Tests.Server;

/// <summary>The listener under load on real loopback sockets: unauthenticated limit and connection floods.</summary>
[Collection(HeapMeasuringCollection.Name)]
public sealed class ServerListenerLimitsTests
{
    private readonly ITestOutputHelper _output;

    public ServerListenerLimitsTests(ITestOutputHelper output) => _output = output;

    private static SshServerOptions Options() => InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("ok\n")) with { Port = 0 };

    private static SshClientOptions ClientOptions() => InMemoryServer.DefaultClientOptions() with { LoginTimeout = TestTimeout.Default };

    [Fact]
    public async Task Unauthenticated_connections_over_the_limit_are_closed_at_once()
    {
        const int limit = 4;
        var logs = new LogCollector(SshLogEvents.Server.AuthenticationEnded);
        await using SshListener listener = await SshServer.StartAsync(Options() with { MaxUnauthenticatedConnections = limit, LoggerFactory = logs });
        var silent = new List<TcpClient>();
        try
        {
            for (int i = 0; i < limit; i++)
            {
                TcpClient c = await RawTcp.ConnectAsync(listener.Port);
                silent.Add(c);
                // The server speaks first: its version line proves it has accepted and counted us.
                Assert.StartsWith("SSH-2.0-", await RawTcp.ReadLineAsync(c.GetStream()), StringComparison.Ordinal);
            }

            Assert.Equal(limit, listener.UnauthenticatedConnections);

            using (TcpClient refused = await RawTcp.ConnectAsync(listener.Port))
            {
                Assert.Equal(0, await RawTcp.ReadOrResetAsync(refused.GetStream()));
            }

            // While the silent ones hold every slot, a real client is refused too.
            await Assert.ThrowsAnyAsync<SshConnectionException>(() => SshClient.ConnectAsync("127.0.0.1", listener.Port, ClientOptions()).WaitAsync(TestTimeout.Default));
        }
        finally
        {
            silent.ForEach(c => c.Dispose());
        }

        await logs.WhenNoneAuthenticatingAsync(listener).WaitAsync(TestTimeout.Default);
        await using SshClientConnection client = await SshClient.ConnectAsync("127.0.0.1", listener.Port, ClientOptions()).WaitAsync(TestTimeout.Default);
        Assert.Equal("ok\n", (await client.RunAsync("x").WaitAsync(TestTimeout.Default)).Stdout);
        Assert.Equal(1, listener.ActiveConnections);
    }

    [Fact]
    public async Task A_flood_of_connections_does_not_stop_an_authenticated_client_and_memory_stays_bounded()
    {
        var logs = new LogCollector(SshLogEvents.Server.AuthenticationEnded);
        await using SshListener listener = await SshServer.StartAsync(Options() with { MaxUnauthenticatedConnections = 20, LoggerFactory = logs });
        await using SshClientConnection client = await SshClient.ConnectAsync("127.0.0.1", listener.Port, ClientOptions()).WaitAsync(TestTimeout.Default);

        // Warm up once so the figure measures growth, not first-use allocations.
        await FloodAsync(listener.Port, 50);
        await logs.WhenNoneAuthenticatingAsync(listener).WaitAsync(TestTimeout.Default);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        long workingSetBefore = Process.GetCurrentProcess().WorkingSet64;

        var stopwatch = Stopwatch.StartNew();
        Task flood = FloodAsync(listener.Port, 600);
        int runs = 0;
        while (!flood.IsCompleted || runs < 3)
        {
            SshCompletedProcess result = await client.RunAsync("x").WaitAsync(TestTimeout.Long);
            Assert.Equal("ok\n", result.Stdout);
            runs++;
        }

        await flood.WaitAsync(TestTimeout.Long);
        await logs.WhenNoneAuthenticatingAsync(listener).WaitAsync(TestTimeout.Long);
        long after = GC.GetTotalMemory(forceFullCollection: true);
        long workingSetAfter = Process.GetCurrentProcess().WorkingSet64;
        _output.WriteLine($"600 flood connections in {stopwatch.ElapsedMilliseconds} ms; {runs} commands meanwhile; managed heap {before / 1024} KiB -> {after / 1024} KiB; working set {workingSetBefore / (1024 * 1024)} MiB -> {workingSetAfter / (1024 * 1024)} MiB");

        Assert.True(after - before < 16 * 1024 * 1024, $"managed heap grew by {(after - before) / 1024} KiB");
        Assert.Equal(1, listener.ActiveConnections);

        // New clients still get in.
        await using SshClientConnection second = await SshClient.ConnectAsync("127.0.0.1", listener.Port, ClientOptions()).WaitAsync(TestTimeout.Default);
        Assert.Equal("ok\n", (await second.RunAsync("y").WaitAsync(TestTimeout.Default)).Stdout);
    }

    /// <summary>
    /// <paramref name="count"/> connections, 50 at a time: each sends a version line and garbage,
    /// half of them then close at once and half read until the server closes them.
    /// </summary>
    private static async Task FloodAsync(int port, int count)
    {
        using var gate = new SemaphoreSlim(50);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port);
                NetworkStream s = c.GetStream();
                try
                {
                    await s.WriteAsync(Encoding.ASCII.GetBytes("SSH-2.0-Flood\r\n"));
                    await s.WriteAsync(new byte[] { 0, 0, 0, 12, 6, 94, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 });
                    if (i % 2 == 0)
                    {
                        await RawTcp.ReadOrResetAsync(s);
                    }
                }
                catch (IOException)
                {
                    // Refused at accept: the server closed us first.
                }
            }
            finally
            {
                gate.Release();
            }
        }));
    }
}
