using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using Rx.Ssh.Testing;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Testing;

/// <summary>The public test kit: in-memory pairs and servers, and virtual time.</summary>
public sealed class InMemorySshServerTests
{
    [Fact]
    public async Task APairRunsACommandWithoutSockets()
    {
        await using InMemorySshPair pair = await InMemorySshPair.StartAsync(
            InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync($"hello {p.UserName}\n")),
            InMemoryServer.DefaultClientOptions()).WithTimeout();

        Assert.Equal("hello alice\n", (await pair.Client.RunAsync("greet").WithTimeout()).Stdout);
        Assert.Equal("alice", pair.Server.UserName);
    }

    [Fact]
    public async Task APairThatCannotAuthenticateFailsWithTheClientsError()
    {
        await Assert.ThrowsAsync<SshPermissionDeniedException>(() => InMemorySshPair.StartAsync(
            InMemoryServer.DefaultServerOptions(),
            InMemoryServer.DefaultClientOptions() with { Password = "wrong" }).WithTimeout());
    }

    [Fact]
    public async Task AServerTakesManyClientsAndDisconnectsThemWhenDisposed()
    {
        var server = new InMemorySshServer(InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("ok\n")));
        Task<IList<SshServerConnection>> accepted = server.Connections.Take(3).ToList().ToTask();
        var clients = new List<SshClientConnection>();
        for (int i = 0; i < 3; i++)
        {
            clients.Add(await server.ConnectAsync(InMemoryServer.DefaultClientOptions()).WithTimeout());
        }

        IList<SshServerConnection> connections = await accepted.WithTimeout();
        Assert.Equal(3, server.ActiveConnections);
        Assert.Equal("ok\n", (await clients[2].RunAsync("x").WithTimeout()).Stdout);

        await server.DisposeAsync();

        await Task.WhenAll(clients.Select(c => c.Completion)).WithTimeout();
        await Task.WhenAll(connections.Select(c => c.Completion)).WithTimeout();
    }

    [Fact]
    public async Task LoginGraceTimeIsTestedInVirtualTime()
    {
        var time = new HistoricalScheduler();
        await using var server = new InMemorySshServer(InMemoryServer.DefaultServerOptions() with { LoginGraceTime = TimeSpan.FromMinutes(2), HandshakeTimeout = Timeout.InfiniteTimeSpan, Scheduler = time });

        // A client that never speaks: the server sends its version line, then waits.
        Stream silent = await server.OpenStreamAsync().WithTimeout();
        Task<string> everything = ReadToEndAsync(silent);
        time.AdvanceBy(TimeSpan.FromMinutes(2) - TimeSpan.FromMilliseconds(1));
        Assert.False(everything.IsCompleted);

        time.AdvanceBy(TimeSpan.FromMilliseconds(1));

        Assert.StartsWith("SSH-2.0-", await everything.WithTimeout());
    }

    [Fact]
    public async Task ClientLoginTimeoutIsTestedInVirtualTime()
    {
        var time = new HistoricalScheduler();
        var (client, _) = InMemoryStream.CreatePair();

        Task<SshClientConnection> connect = SshClient.ConnectAsync(client, "silent", 22, InMemoryServer.DefaultClientOptions() with { LoginTimeout = TimeSpan.FromSeconds(20), Scheduler = time });
        Assert.False(connect.IsCompleted);
        time.AdvanceBy(TimeSpan.FromSeconds(20));

        SshConnectionException error = await Assert.ThrowsAsync<SshConnectionException>(() => connect.WithTimeout());
        Assert.IsType<TimeoutException>(error.InnerException);
    }

    private static async Task<string> ReadToEndAsync(Stream stream)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            text.Append(Encoding.Latin1.GetString(buffer, 0, n));
        }

        return text.ToString();
    }
}
