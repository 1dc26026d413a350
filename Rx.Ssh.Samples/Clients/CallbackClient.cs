using System.Reactive.Linq;

namespace Rx.Ssh.Samples.Clients;

/// <summary>
/// callback_client: the connection's progress and the session's data observed as they happen.
/// <see cref="SshClient.ConnectWithEvents"/> reports the TCP connection and the login when they
/// happen (AsyncSSH's <c>connection_made</c> and <c>auth_completed</c>); the session's events
/// are printed as they arrive (<c>data_received</c>), and an error ending the session is reported
/// (<c>connection_lost</c>).
/// </summary>
internal sealed class CallbackClient : ISample
{
    public string Name => "callback_client";

    public string Description => "Print connection events (connected, authenticated) and 'ls abc' output as they happen.";

    public async Task<int> RunAsync(SampleContext context)
    {
        SshClientConnection conn;
        try
        {
            conn = await SshClient.ConnectWithEvents(context.Host, context.ClientPort, context.ClientOptions)
                .Do(e =>
                {
                    switch (e)
                    {
                        case SshTcpConnected connected:
                            context.Out.WriteLine($"Connection made to {connected.RemoteAddress}.");
                            break;
                        case SshAuthenticated:
                            context.Out.WriteLine("Authentication successful.");
                            break;
                    }
                })
                .OfType<SshConnectionReady>()
                .Select(ready => ready.Connection);
        }
        catch (SshException exc)
        {
            context.Error.WriteLine("SSH connection failed: " + exc.Message);
            return 1;
        }

        await using (conn)
        {
            return await SessionSample.PrintAsync(conn, "ls abc", context, splitStderr: false);
        }
    }
}
