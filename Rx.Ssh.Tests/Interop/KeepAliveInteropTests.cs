using System.Reactive.Linq;
using System.Threading.Channels;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// keepalive@openssh.com with OpenSSH in real time (1 s intervals; the tests wait for the
/// keepalives themselves, never for a fixed time): sshd and ssh answer ours with a failure reply,
/// which counts; ours answer theirs. Count-max 2 everywhere: one reply may be a whole interval late
/// (a loaded CI machine) without ending the connection, and three keepalives still cannot all be
/// sent unless replies came back (the count-max would end the connection first).
/// </summary>
public sealed class KeepAliveInteropTests
{
    [Fact]
    public async Task Our_client_keepalives_get_sshds_replies_and_the_connection_stays_up()
    {
        await using SshdServer server = await SshdServer.StartAsync();
        var logs = new LogCollector();
        SshClientOptions options = ClientInterop.Options(server) with { KeepAliveInterval = TimeSpan.FromSeconds(1), KeepAliveCountMax = 2, LoggerFactory = logs };
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(server, options);
        var replies = Channel.CreateUnbounded<bool>();
        using IDisposable forwarding = logs.Observe(SshLogEvents.Connection.GlobalReplyReceived).Subscribe(e => replies.Writer.TryWrite(e.Value<bool>("Success")));

        // OpenSSH refuses requests it does not know: REQUEST_FAILURE, which still proves it is alive.
        Assert.False(await replies.Reader.ReadAsync().AsTask().WithTimeout());
        Assert.False(await replies.Reader.ReadAsync().AsTask().WithTimeout());
        Assert.False(await replies.Reader.ReadAsync().AsTask().WithTimeout());

        Assert.False(conn.Completion.IsCompleted);
        Assert.Equal("alive\n", (await conn.RunAsync("echo alive").WaitAsync(TestTimeout.Default)).Stdout);
    }

    [Fact]
    public async Task Ssh_with_server_alive_interval_gets_our_replies_and_stays_up()
    {
        var logs = new LogCollector();
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(new SshServerOptions { LoggerFactory = logs, ProcessHandler = p => WaitForKeepAlivesAsync(p, logs) });

        // With ServerAliveCountMax=2, ssh gives up at its third interval unless our replies
        // arrived; the command ends only once three keepalives came in.
        ProcessResult result = await server.Client().WithOptions("ServerAliveInterval=1", "ServerAliveCountMax=2").RunAsync("received");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("3 keepalives\n", result.StdoutText);
    }

    [Fact]
    public async Task Our_server_keepalives_get_ssh_replies_and_the_session_stays_up()
    {
        var logs = new LogCollector();
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(new SshServerOptions
        {
            KeepAliveInterval = TimeSpan.FromSeconds(1),
            KeepAliveCountMax = 2,
            LoggerFactory = logs,
            ProcessHandler = p => WaitForKeepAlivesAsync(p, logs),
        });

        ProcessResult result = await server.Client().RunAsync("answered");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("3 keepalives\n", result.StdoutText);
    }

    /// <summary>Ends the command once three keepalives were received ("received") or answered ("answered") on its connection.</summary>
    private static async Task WaitForKeepAlivesAsync(SshServerProcess process, LogCollector logs)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int count = 0;
        void Count()
        {
            if (Interlocked.Increment(ref count) == 3)
            {
                done.TrySetResult();
            }
        }

        // The server under test serves this one connection, so its log is this connection's; only
        // what comes after the command started counts.
        using IDisposable counting = process.Command == "received"
            ? logs.Observe(SshLogEvents.Connection.GlobalRequestReceived, replay: false).Where(e => e.Value<string>("Name") == "keepalive@openssh.com").Subscribe(_ => Count())
            : logs.Observe(SshLogEvents.Connection.GlobalReplyReceived, replay: false).Subscribe(_ => Count());

        await done.Task.WaitAsync(TestTimeout.Default, process.Closed);
        await process.Stdout.WriteLineAsync("3 keepalives");
    }
}
