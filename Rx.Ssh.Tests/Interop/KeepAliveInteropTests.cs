using System.Threading.Channels;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// keepalive@openssh.com with OpenSSH in real time (1 s intervals; the tests wait for the
/// keepalives themselves, never for a fixed time): sshd and ssh answer ours with a failure reply,
/// which counts; ours answer theirs.
/// </summary>
public sealed class KeepAliveInteropTests
{
    [Fact]
    public async Task Our_client_keepalives_get_sshds_replies_and_the_connection_stays_up()
    {
        await using SshdServer server = await SshdServer.StartAsync();
        SshClientOptions options = ClientInterop.Options(server) with { KeepAliveInterval = TimeSpan.FromSeconds(1), KeepAliveCountMax = 1 };
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(server, options);
        var replies = Channel.CreateUnbounded<bool>();
        conn.GlobalReplyReceived += success => replies.Writer.TryWrite(success);

        // OpenSSH refuses requests it does not know: REQUEST_FAILURE, which still proves it is alive.
        Assert.False(await replies.Reader.ReadAsync().AsTask().WithTimeout());
        Assert.False(await replies.Reader.ReadAsync().AsTask().WithTimeout());

        Assert.False(conn.Completion.IsCompleted);
        Assert.Equal("alive\n", (await conn.RunAsync("echo alive").WaitAsync(TestTimeout.Default)).Stdout);
    }

    [Fact]
    public async Task Ssh_with_server_alive_interval_gets_our_replies_and_stays_up()
    {
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(new SshServerOptions { ProcessHandler = WaitForKeepAlivesAsync });

        // With ServerAliveCountMax=1, ssh gives up at its second interval unless our reply to the
        // first keepalive arrived; the command ends only once two keepalives came in.
        ProcessResult result = await server.Client().WithOptions("ServerAliveInterval=1", "ServerAliveCountMax=1").RunAsync("received");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("2 keepalives\n", result.StdoutText);
    }

    [Fact]
    public async Task Our_server_keepalives_get_ssh_replies_and_the_session_stays_up()
    {
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(new SshServerOptions
        {
            KeepAliveInterval = TimeSpan.FromSeconds(1),
            KeepAliveCountMax = 1,
            ProcessHandler = WaitForKeepAlivesAsync,
        });

        ProcessResult result = await server.Client().RunAsync("answered");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("2 keepalives\n", result.StdoutText);
    }

    /// <summary>Ends the command once two keepalives were received ("received") or answered ("answered") on its connection.</summary>
    private static async Task WaitForKeepAlivesAsync(SshServerProcess process)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int count = 0;
        void Count()
        {
            if (Interlocked.Increment(ref count) == 2)
            {
                done.TrySetResult();
            }
        }

        if (process.Command == "received")
        {
            process.Connection.GlobalRequestReceived += name =>
            {
                if (name == "keepalive@openssh.com")
                {
                    Count();
                }
            };
        }
        else
        {
            process.Connection.GlobalReplyReceived += _ => Count();
        }

        await done.Task.WaitAsync(TestTimeout.Default, process.Closed);
        await process.Stdout.WriteLineAsync("2 keepalives");
    }
}
