using System.Net;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Client.Events;

/// <summary>
/// <see cref="SshClient.ConnectWithEvents"/> and <see cref="SshClientOptions.ConnectionEvents"/>:
/// the connection's progress reported in order, each step when it happens (not after the connect returned).
/// </summary>
public sealed class ConnectionEventsTests
{
    [Fact]
    public async Task EventsArriveInOrderAndEndWithTheReadyConnection()
    {
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(new SshServerOptions { ProcessHandler = p => p.Stdout.WriteAsync("hi\n") });

        IList<SshConnectionEvent> events = await SshClient.ConnectWithEvents("127.0.0.1", server.Port, KeyOptions(server)).ToList().ToTask().WithTimeout();

        Assert.Collection(
            events,
            e =>
            {
                var tcp = Assert.IsType<SshTcpConnected>(e);
                Assert.Equal(("127.0.0.1", server.Port), (tcp.Host, tcp.Port));
                Assert.Equal(IPAddress.Loopback, tcp.RemoteAddress);
                Assert.Equal(server.Port, Assert.IsType<IPEndPoint>(tcp.RemoteEndPoint).Port);
            },
            e => Assert.Contains(server.Options.HostKeys, k => k.PublicKey.Equals(Assert.IsType<SshHostKeyAccepted>(e).HostKey)),
            e => Assert.Equal(new SshAuthenticated(RxSshServerUnderTest.UserName, "publickey"), e),
            e => Assert.IsType<SshConnectionReady>(e));
        await using SshClientConnection connection = ((SshConnectionReady)events[3]).Connection;
        Assert.Equal("hi\n", (await connection.RunAsync("x").WithTimeout()).Stdout);
    }

    [Fact]
    public async Task ConnectedAndHostKeyAcceptedAreReportedWhileTheServerIsStillDecidingTheLogin()
    {
        var deciding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var decide = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(new SshServerOptions
        {
            PasswordValidator = async (_, _) =>
            {
                deciding.TrySetResult();
                return await decide.Task;
            },
            ProcessHandler = _ => Task.CompletedTask,
        });
        var seen = new List<SshConnectionEvent>();
        SshClientOptions options = KnownHosts(server) with { Password = "pw" };

        Task<SshConnectionEvent> last = SshClient.ConnectWithEvents("127.0.0.1", server.Port, options)
            .Do(e =>
            {
                lock (seen)
                {
                    seen.Add(e);
                }
            })
            .LastAsync().ToTask();
        await deciding.Task.WithTimeout();

        lock (seen)
        {
            Assert.Equal([typeof(SshTcpConnected), typeof(SshHostKeyAccepted)], seen.Select(e => e.GetType()));
        }

        decide.SetResult(true);
        await using SshClientConnection connection = Assert.IsType<SshConnectionReady>(await last.WithTimeout()).Connection;
        // The server lists keyboard-interactive first, and the client answers it with the password.
        Assert.Equal(new SshAuthenticated(RxSshServerUnderTest.UserName, "keyboard-interactive"), seen[2]);
        Assert.Equal(4, seen.Count);
    }

    [Fact]
    public async Task TheOptionsCallbackSeesTheSameStepsDuringConnectAsync()
    {
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(new SshServerOptions { ProcessHandler = _ => Task.CompletedTask });
        var seen = new List<SshConnectionEvent>();
        SshClientConnection? connection = null;
        SshClientOptions options = KeyOptions(server) with
        {
            ConnectionEvents = e =>
            {
                Assert.Null(connection); // every step is reported before ConnectAsync returns
                seen.Add(e);
            },
        };

        connection = await SshClient.ConnectAsync("127.0.0.1", server.Port, options).WithTimeout();
        await using (connection)
        {
            Assert.Equal([typeof(SshTcpConnected), typeof(SshHostKeyAccepted), typeof(SshAuthenticated)], seen.Select(e => e.GetType()));
            Assert.Equal(connection.HostKey, ((SshHostKeyAccepted)seen[1]).HostKey);
        }
    }

    [Fact]
    public async Task AnUntrustedHostKeyStopsAfterConnectedWithTheError()
    {
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(new SshServerOptions { ProcessHandler = _ => Task.CompletedTask });
        var seen = new List<SshConnectionEvent>();
        SshClientOptions options = KeyOptions(server) with { HostKeyVerifier = new CallbackHostKeyVerifier(_ => ValueTask.FromResult(false)) };

        await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(() =>
            SshClient.ConnectWithEvents("127.0.0.1", server.Port, options).Do(seen.Add).ToTask().WithTimeout());

        Assert.IsType<SshTcpConnected>(Assert.Single(seen));
    }

    [Fact]
    public async Task EachSubscriptionIsItsOwnAttemptWithItsOwnEvents()
    {
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(new SshServerOptions { ProcessHandler = _ => Task.CompletedTask });
        IObservable<SshConnectionEvent> connect = SshClient.ConnectWithEvents("127.0.0.1", server.Port, KeyOptions(server));

        IList<SshConnectionEvent> first = await connect.ToList().ToTask().WithTimeout();
        IList<SshConnectionEvent> second = await connect.ToList().ToTask().WithTimeout();

        await using SshClientConnection a = ((SshConnectionReady)first[^1]).Connection;
        await using SshClientConnection b = ((SshConnectionReady)second[^1]).Connection;
        Assert.NotSame(a, b);
        Assert.Equal(4, first.Count);
        Assert.Equal(4, second.Count);
    }

    private static SshClientOptions KnownHosts(RxSshServerUnderTest server) => new()
    {
        UserName = RxSshServerUnderTest.UserName,
        UseDefaultKeys = false,
        HostKeyVerifier = new KnownHostsVerifier(server.KnownHostsPath),
    };

    private static SshClientOptions KeyOptions(RxSshServerUnderTest server) => KnownHosts(server) with { KeyFiles = [TestKeys.Ed25519.PrivateKeyPath] };
}
