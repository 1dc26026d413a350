using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Keys;
using Rx.Ssh.Tests.Server.Forwarding;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// OpenSSH's <c>ssh -W</c>, <c>-L</c> and <c>-R</c> against the Rx.Ssh server with forwarding
/// policies, to a TCP echo service on 127.0.0.1: data flows both ways, refusals reach ssh with
/// their reason and text, remote listeners go away with the connection, and the authorized_keys
/// options (permitopen, permitlisten, restrict, no-port-forwarding) are enforced before the policy
/// is asked.
/// </summary>
public sealed class ServerInteropForwardingTests : IAsyncLifetime
{
    private readonly EchoService _echo = new();
    private int _policyCalls;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _echo.DisposeAsync();

    private SshServerOptions AllowAll(string? authorizedKeys = null) => new()
    {
        AuthorizedKeys = authorizedKeys is null ? null : _ => AuthorizedKeysFile.Parse(authorizedKeys),
        AuthFailureDelay = TimeSpan.Zero,
        DirectForwardPolicy = _ =>
        {
            Interlocked.Increment(ref _policyCalls);
            return ValueTask.FromResult(SshForwardDecision.Allow);
        },
        ListenPolicy = _ =>
        {
            Interlocked.Increment(ref _policyCalls);
            return ValueTask.FromResult(true);
        },
    };

    private static OpenSshClient W(RxSshServerUnderTest server, int port) => server.Client() with { Arguments = ["-W", $"127.0.0.1:{port}"] };

    private static async Task<ProcessResult> SmallEchoAsync(OpenSshClient ssh) => await ssh.RunAsync(null, "through -W\n"u8.ToArray());

    [Fact]
    public async Task Ssh_W_through_an_allowed_forward_echoes_16_MiB_with_equal_sha256()
    {
        const long size = 16L * 1024 * 1024;
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(AllowAll());
        var sink = new Sha256Sink();

        ProcessResult result = await (W(server, _echo.Port) with { Timeout = TestTimeout.Long }).RunAsync(null, new GeneratedStream(size, 21), sink);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(size, sink.BytesWritten);
        Assert.Equal(GeneratedStream.ComputeSha256(size, 21), sink.GetHash());
    }

    [Fact]
    public async Task Ssh_W_refused_by_the_policy_shows_administratively_prohibited_and_the_text()
    {
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(AllowAll() with
        {
            DirectForwardPolicy = r => ValueTask.FromResult(SshForwardDecision.Refuse(ChannelOpenFailureReason.AdministrativelyProhibited, $"port {r.Port} is not for you")),
        });

        ProcessResult result = await SmallEchoAsync(W(server, _echo.Port));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"administratively prohibited: port {_echo.Port} is not for you", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, _echo.Accepted);
    }

    [Fact]
    public async Task Ssh_W_to_a_closed_port_reports_connect_failed_with_the_reason()
    {
        int closed = EchoService.ClosedPort();
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(AllowAll());

        ProcessResult result = await SmallEchoAsync(W(server, closed));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"connect failed: Connect to 127.0.0.1:{closed} failed: ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ssh_L_forwards_local_connections_to_the_echo_service()
    {
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(AllowAll());
        int local = EchoService.ClosedPort();
        await using var ssh = BackgroundSsh.Start((server.Client() with { Arguments = ["-N", "-L", $"127.0.0.1:{local}:127.0.0.1:{_echo.Port}"] })
            .WithOptions("LogLevel=DEBUG1", "ExitOnForwardFailure=yes"));
        await ssh.WaitForLineAsync($@"Local forwarding listening on 127\.0\.0\.1 port {local}\.");
        await ssh.WaitForLineAsync("Entering interactive session"); // ssh logs the line above before it binds; this one comes after

        byte[] sent = RandomNumberGenerator.GetBytes(512 * 1024);
        Assert.Equal(sent, await EchoService.RoundTripAsync(local, sent));
        Assert.Equal(sent[..1000], await EchoService.RoundTripAsync(local, sent[..1000]));
        Assert.Equal(2, _echo.Accepted);
    }

    [Fact]
    public async Task Ssh_L_to_a_closed_port_closes_that_local_socket_and_the_connection_lives_on()
    {
        int closed = EchoService.ClosedPort();
        int refusedLocal = EchoService.ClosedPort();
        int echoLocal = EchoService.ClosedPort();
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(AllowAll());
        await using var ssh = BackgroundSsh.Start((server.Client() with
        {
            Arguments = ["-N", "-L", $"127.0.0.1:{refusedLocal}:127.0.0.1:{closed}", "-L", $"127.0.0.1:{echoLocal}:127.0.0.1:{_echo.Port}"],
        }).WithOptions("LogLevel=DEBUG1", "ExitOnForwardFailure=yes"));
        await ssh.WaitForLineAsync("Entering interactive session");

        using (var refused = new TcpClient())
        {
            await refused.ConnectAsync(IPAddress.Loopback, refusedLocal).WithTimeout();
            await ssh.WaitForLineAsync($"open failed: connect failed: Connect to 127\\.0\\.0\\.1:{closed} failed");
            Assert.Equal(0, await Forwarding.LocalForwardingInteropTests.ReceiveUntilClosedAsync(refused.Client).WithTimeout());
        }

        byte[] sent = RandomNumberGenerator.GetBytes(4096);
        Assert.Equal(sent, await EchoService.RoundTripAsync(echoLocal, sent));
        Assert.Equal(1, _echo.Accepted);
    }

    [Fact]
    public async Task Ssh_R_on_a_port_already_taken_fails_and_ExitOnForwardFailure_says_so()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(AllowAll());
        await using var ssh = BackgroundSsh.Start((server.Client() with { Arguments = ["-N", "-R", $"127.0.0.1:{port}:127.0.0.1:{_echo.Port}"] }).WithOptions("ExitOnForwardFailure=yes"));

        Assert.NotEqual(0, await ssh.WaitForExitAsync());
        Assert.Contains($"remote port forwarding failed for listen port {port}", ssh.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, _policyCalls);
    }

    [Fact]
    public async Task Ssh_dying_while_a_direct_forward_is_busy_closes_the_destination_socket()
    {
        var destinationClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using Forwarding.TestTcpService destination = Forwarding.TestTcpService.Tcp(async (socket, token) =>
        {
            try
            {
                await Forwarding.TestTcpService.EchoAsync(socket, token);
            }
            finally
            {
                destinationClosed.TrySetResult();
            }
        });
        int local = EchoService.ClosedPort();
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(AllowAll());
        using var client = new TcpClient();
        await using (var ssh = BackgroundSsh.Start((server.Client() with { Arguments = ["-N", "-L", $"127.0.0.1:{local}:127.0.0.1:{destination.Port}"] })
            .WithOptions("LogLevel=DEBUG1", "ExitOnForwardFailure=yes")))
        {
            await ssh.WaitForLineAsync("Entering interactive session");
            await client.ConnectAsync(IPAddress.Loopback, local).WithTimeout();
            await EchoOnceOpenAsync(client.Client, "busy");
        }

        await destinationClosed.Task.WithTimeout();
    }

    [Fact]
    public async Task Ssh_dying_while_a_remote_forward_is_busy_closes_the_accepted_socket_and_unbinds()
    {
        SshServerConnection? connection = null;
        int port = EchoService.ClosedPort();
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(AllowAll() with
        {
            ListenPolicy = r =>
            {
                connection = r.Connection;
                return ValueTask.FromResult(true);
            },
        });
        using var client = new TcpClient();
        Task forwardsDone;
        await using (var ssh = BackgroundSsh.Start((server.Client() with { Arguments = ["-N", "-R", $"{port}:127.0.0.1:{_echo.Port}"] })
            .WithOptions("LogLevel=DEBUG1", "ExitOnForwardFailure=yes")))
        {
            await ssh.WaitForLineAsync($"remote forward success for: listen {port}");
            Assert.NotNull(connection);
            forwardsDone = connection.ForwardsEnded.DefaultIfEmpty().LastAsync().ToTask();
            await client.ConnectAsync(IPAddress.Loopback, port).WithTimeout();
            await EchoOnceOpenAsync(client.Client, "busy");
        }

        Assert.Equal(0, await Forwarding.LocalForwardingInteropTests.ReceiveUntilClosedAsync(client.Client).WithTimeout());
        await forwardsDone.WithTimeout();
        await ServerForwardingTests.AssertRefusedAsync(port);
    }

    /// <summary>Sends <paramref name="text"/> and reads the same back, leaving the socket open both ways (a busy forward).</summary>
    private static async Task EchoOnceOpenAsync(Socket socket, string text)
    {
        byte[] sent = System.Text.Encoding.ASCII.GetBytes(text);
        await Forwarding.TestTcpService.SendAllAsync(socket, sent, CancellationToken.None).WithTimeout();
        byte[] received = new byte[sent.Length];
        int read = 0;
        while (read < received.Length)
        {
            int n = await socket.ReceiveAsync(received.AsMemory(read)).AsTask().WithTimeout();
            Assert.NotEqual(0, n);
            read += n;
        }

        Assert.Equal(sent, received);
    }

    [Fact]
    public async Task Ssh_R_port_0_gets_the_allocated_port_and_the_listener_goes_away_when_ssh_exits()
    {
        SshServerConnection? connection = null;
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(AllowAll() with
        {
            ListenPolicy = r =>
            {
                connection = r.Connection;
                return ValueTask.FromResult(r.Host == "localhost" && r.Port == 0);
            },
        });
        int port;
        Task forwardsDone;
        await using (var ssh = BackgroundSsh.Start((server.Client() with { Arguments = ["-N", "-R", $"0:127.0.0.1:{_echo.Port}"] }).WithOptions("ExitOnForwardFailure=yes")))
        {
            Match allocated = await ssh.WaitForLineAsync($@"Allocated port (\d+) for remote forward to 127\.0\.0\.1:{_echo.Port}");
            port = int.Parse(allocated.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.NotNull(connection);
            forwardsDone = connection.ForwardsEnded.DefaultIfEmpty().LastAsync().ToTask();

            byte[] sent = RandomNumberGenerator.GetBytes(256 * 1024);
            Assert.Equal(sent, await EchoService.RoundTripAsync(port, sent));
            Assert.Equal(1, _echo.Accepted);
        }

        await forwardsDone.WithTimeout();
        await ServerForwardingTests.AssertRefusedAsync(port);
    }

    [Fact]
    public async Task Permitopen_allows_only_its_destination_and_the_policy_never_sees_the_others()
    {
        await using var other = new EchoService();
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(AllowAll($"permitopen=\"127.0.0.1:{_echo.Port}\" {TestKeys.Ed25519.PublicKeyLine}\n"));

        ProcessResult allowed = await SmallEchoAsync(W(server, _echo.Port));
        ProcessResult refused = await SmallEchoAsync(W(server, other.Port));

        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Equal("through -W\n", allowed.StdoutText);
        Assert.Contains($"administratively prohibited: Forwarding to 127.0.0.1:{other.Port} is not permitted by the key's permitopen option.", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, other.Accepted);
        Assert.Equal(1, _policyCalls);
    }

    [Theory]
    [InlineData("restrict")]
    [InlineData("no-port-forwarding")]
    public async Task Restrict_and_no_port_forwarding_refuse_ssh_W_before_the_policy(string option)
    {
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(AllowAll($"{option} {TestKeys.Ed25519.PublicKeyLine}\n"));

        ProcessResult result = await SmallEchoAsync(W(server, _echo.Port));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("administratively prohibited: Port forwarding is disabled for this key", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, _policyCalls);
        Assert.Equal(0, _echo.Accepted);
    }

    [Fact]
    public async Task No_port_forwarding_refuses_ssh_R_before_the_policy()
    {
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(AllowAll($"no-port-forwarding {TestKeys.Ed25519.PublicKeyLine}\n"));
        await using var ssh = BackgroundSsh.Start((server.Client() with { Arguments = ["-N", "-R", $"0:127.0.0.1:{_echo.Port}"] }).WithOptions("ExitOnForwardFailure=yes"));

        int exit = await ssh.WaitForExitAsync();

        Assert.NotEqual(0, exit);
        Assert.Contains("remote port forwarding failed", ssh.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, _policyCalls);
    }

    [Fact]
    public async Task Permitlisten_allows_only_its_port()
    {
        int permitted = EchoService.ClosedPort();
        int other = EchoService.ClosedPort();
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(AllowAll($"permitlisten=\"{permitted}\" {TestKeys.Ed25519.PublicKeyLine}\n"));

        await using (var refused = BackgroundSsh.Start((server.Client() with { Arguments = ["-N", "-R", $"{other}:127.0.0.1:{_echo.Port}"] }).WithOptions("ExitOnForwardFailure=yes")))
        {
            Assert.NotEqual(0, await refused.WaitForExitAsync());
            Assert.Contains($"remote port forwarding failed for listen port {other}", refused.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal(0, _policyCalls);
        await using var ssh = BackgroundSsh.Start((server.Client() with { Arguments = ["-N", "-R", $"{permitted}:127.0.0.1:{_echo.Port}"] })
            .WithOptions("LogLevel=DEBUG1", "ExitOnForwardFailure=yes"));
        await ssh.WaitForLineAsync($"remote forward success for: listen {permitted}");
        byte[] sent = RandomNumberGenerator.GetBytes(4096);
        Assert.Equal(sent, await EchoService.RoundTripAsync(permitted, sent));
        Assert.Equal(1, _policyCalls);
    }
}
