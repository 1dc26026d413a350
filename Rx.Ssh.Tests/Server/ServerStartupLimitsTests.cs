using System.Net;
using System.Net.Sockets;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Testing;

namespace Rx.Ssh.Tests.Server;

/// <summary>
/// Limits on connections that have not authenticated (issue 9, M5): per-address and per-network-block
/// caps, random early drop with an injected random source, and the handshake timeout in virtual time.
/// In-memory through <see cref="SshServer.AcceptAsync"/> with made-up end points, and on loopback sockets.
/// </summary>
public sealed class ServerStartupLimitsTests
{
    /// <summary>Only the cap under test applies: random drop and the other caps are off.</summary>
    private static SshServerOptions Options() => InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("ok\n")) with
    {
        RandomDropStart = 1000,
        MaxUnauthenticatedPerAddress = 0,
        MaxUnauthenticatedPerNetBlock = 0,
    };

    [Fact]
    public async Task The_per_address_cap_refuses_that_address_and_lets_another_in()
    {
        SshServerOptions options = Options() with { MaxUnauthenticatedPerAddress = 2 };
        await using var silent = new SilentClients(options);
        await silent.AdmittedAsync("10.0.0.1");
        await silent.AdmittedAsync("10.0.0.1");
        await silent.RefusedAsync("10.0.0.1");
        await silent.RefusedAsync("::ffff:10.0.0.1"); // the same address, IPv4-mapped

        // Another address (in the same /24 even) still gets in, and authenticates.
        await silent.AdmittedAsync("10.0.0.2");
        (Stream client, Stream server) = InMemoryStream.CreatePair();
        Task<SshServerConnection> accepted = SshServer.AcceptAsync(server, options, Endpoint("192.0.2.7"));
        await using SshClientConnection connection = await SshClient.ConnectAsync(client, "in-memory", 22, InMemoryServer.DefaultClientOptions()).WithTimeout();
        await using SshServerConnection serverSide = await accepted.WithTimeout();
        Assert.Equal("ok\n", (await connection.RunAsync("x").WithTimeout()).Stdout);
    }

    [Fact]
    public async Task The_per_network_block_cap_counts_slash_24_and_slash_64_blocks()
    {
        SshServerOptions options = Options() with { MaxUnauthenticatedPerNetBlock = 2 };
        await using var silent = new SilentClients(options);
        await silent.AdmittedAsync("10.0.0.1");
        await silent.AdmittedAsync("10.0.0.2");
        await silent.RefusedAsync("10.0.0.200");
        await silent.AdmittedAsync("10.0.1.1");

        await silent.AdmittedAsync("2001:db8::1");
        await silent.AdmittedAsync("2001:db8::ffff:2");
        await silent.RefusedAsync("2001:db8::3");
        await silent.AdmittedAsync("2001:db8:0:1::1");

        // A slot comes back when its connection ends.
        await silent.CloseFirstAsync();
        await silent.AdmittedAsync("10.0.0.3");
    }

    [Fact]
    public async Task Random_early_drop_rises_from_the_rate_at_start_to_certain_at_full()
    {
        var draws = new Queue<int>([49, 50, 65, 66, 82, 83]);
        var asked = new List<int>();
        SshServerOptions options = Options() with
        {
            MaxUnauthenticatedConnections = 5,
            RandomDropStart = 2,
            RandomDropRate = 50,
            StartupRandom = n =>
            {
                asked.Add(n);
                return draws.Dequeue();
            },
        };
        await using var silent = new SilentClients(options);

        // Below start nothing is drawn.
        await silent.AdmittedAsync(null);
        await silent.AdmittedAsync(null);
        Assert.Empty(asked);

        // 2 authenticating: drop below 50%; 3: below 66%; 4: below 83% (50 + 50 * (n - 2) / 3).
        await silent.RefusedAsync(null);
        await silent.AdmittedAsync(null);
        await silent.RefusedAsync(null);
        await silent.AdmittedAsync(null);
        await silent.RefusedAsync(null);
        await silent.AdmittedAsync(null);

        // 5 (full): refused without a draw.
        await silent.RefusedAsync(null);
        Assert.Equal(Enumerable.Repeat(100, 6), asked);
        Assert.Empty(draws);
    }

    [Fact]
    public async Task A_client_that_does_not_finish_key_exchange_in_time_is_dropped_in_virtual_time()
    {
        var clock = new VirtualClock();
        TimeSpan timeout = TimeSpan.FromSeconds(12);
        SshServerOptions options = Options() with { Scheduler = clock, HandshakeTimeout = timeout, MaxUnauthenticatedPerAddress = 1 };

        // The client reads the server's version line and says nothing.
        (Stream client, Stream server) = InMemoryStream.CreatePair();
        Task<SshServerConnection> accepted = SshServer.AcceptAsync(server, options, Endpoint("10.0.0.1"));
        Assert.StartsWith("SSH-2.0-", await ReadLineAsync(client));
        await clock.WhenScheduledAsync(timeout).WithTimeout();
        clock.AdvanceBy(timeout - TimeSpan.FromMilliseconds(1));
        Assert.False(accepted.IsCompleted);

        clock.AdvanceBy(TimeSpan.FromMilliseconds(1));
        SshConnectionException error = await Assert.ThrowsAnyAsync<SshConnectionException>(() => accepted.WithTimeout());
        Assert.Contains("key exchange", error.Message, StringComparison.Ordinal);
        Assert.IsType<TimeoutException>(error.InnerException);
        await client.DisposeAsync();

        // Its slot is free again; a client that completes key exchange is not held to the timeout.
        (RawSshClient raw, Task<SshServerConnection> second) = await RawSshClient.StartInMemoryAsync(options, Endpoint("10.0.0.1"));
        await using (raw)
        {
            // The service accept shows the server is past key exchange (and has dropped its timer).
            await raw.RequestUserAuthAsync();
            clock.AdvanceBy(timeout * 2);
            Assert.False(second.IsCompleted);
        }
    }

    [Fact]
    public async Task The_listener_applies_the_per_address_cap_and_another_loopback_address_gets_in()
    {
        const int cap = 3;
        await using SshListener listener = await SshServer.StartAsync(Options() with { Port = 0, MaxUnauthenticatedPerAddress = cap });
        var silent = new List<TcpClient>();
        try
        {
            for (int i = 0; i < cap; i++)
            {
                TcpClient c = await RawTcp.ConnectAsync(listener.Port);
                silent.Add(c);
                Assert.StartsWith("SSH-2.0-", await RawTcp.ReadLineAsync(c.GetStream()), StringComparison.Ordinal);
            }

            using (TcpClient refused = await RawTcp.ConnectAsync(listener.Port))
            {
                Assert.Equal(0, await RawTcp.ReadOrResetAsync(refused.GetStream()));
            }

            // 127.0.0.2 is another source (Linux routes all of 127/8 to loopback).
            using var other = new TcpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
            await other.ConnectAsync(IPAddress.Loopback, listener.Port).WaitAsync(TestTimeout.Default);
            await using SshClientConnection client = await SshClient.ConnectAsync(other.GetStream(), "127.0.0.1", listener.Port, InMemoryServer.DefaultClientOptions()).WithTimeout();
            Assert.Equal("ok\n", (await client.RunAsync("x").WithTimeout()).Stdout);
        }
        finally
        {
            silent.ForEach(c => c.Dispose());
        }
    }

    private static IPEndPoint? Endpoint(string? address) => address is null ? null : new IPEndPoint(IPAddress.Parse(address), 40000);

    private static async Task<string> ReadLineAsync(Stream stream)
    {
        var line = new List<byte>();
        byte[] one = new byte[1];
        while (await stream.ReadAsync(one).AsTask().WithTimeout() == 1 && one[0] != '\n')
        {
            line.Add(one[0]);
        }

        return System.Text.Encoding.ASCII.GetString([.. line]);
    }

    /// <summary>In-memory clients that never speak, accepted with made-up remote end points; closed at dispose.</summary>
    private sealed class SilentClients(SshServerOptions options) : IAsyncDisposable
    {
        private readonly List<(Stream Client, Task<SshServerConnection> Server)> _open = [];

        public async Task AdmittedAsync(string? address)
        {
            (Stream client, Stream server) = InMemoryStream.CreatePair();
            Task<SshServerConnection> accepted = SshServer.AcceptAsync(server, options, Endpoint(address));
            _open.Add((client, accepted));

            // The server speaks first: its version line shows it took the connection.
            Assert.StartsWith("SSH-2.0-", await ReadLineAsync(client));
            Assert.False(accepted.IsCompleted);
        }

        public async Task RefusedAsync(string? address)
        {
            (Stream client, Stream server) = InMemoryStream.CreatePair();
            await using (client)
            {
                SshConnectionException error = await Assert.ThrowsAsync<SshConnectionException>(() => SshServer.AcceptAsync(server, options, Endpoint(address)).WithTimeout());
                Assert.Equal(DisconnectReason.TooManyConnections, error.Reason);
                Assert.Equal(0, await client.ReadAsync(new byte[64]).AsTask().WithTimeout());
            }
        }

        public async Task CloseFirstAsync()
        {
            (Stream client, Task<SshServerConnection> server) = _open[0];
            _open.RemoveAt(0);
            await client.DisposeAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => server.WithTimeout());
        }

        public async ValueTask DisposeAsync()
        {
            foreach ((Stream client, Task<SshServerConnection> server) in _open)
            {
                await client.DisposeAsync();
                await Assert.ThrowsAnyAsync<Exception>(() => server.WithTimeout());
            }
        }
    }
}
