using System.Reactive.Linq;

namespace Rx.Ssh.Samples.Clients;

/// <summary>
/// callback_client: the low-level surface. Connection events and session events are observed as
/// they happen instead of awaiting a completed result.
/// </summary>
internal sealed class CallbackClient : ISample
{
    public string Name => "callback_client";

    public string Description => "Observe connection and session events (data, exit, close) while 'ls abc' runs.";

    public async Task<int> RunAsync(SampleContext context)
    {
        try
        {
            await using SshClientConnection conn = await SshClient.Connect(context.Host, context.ClientPort, context.ClientOptions);
            context.Out.WriteLine($"Connection made to {conn.Host}.");
            _ = conn.Completion.ContinueWith(t => context.Error.WriteLine(t.Result is { } e ? "SSH connection error: " + e.Message : "Connection closed."), TaskScheduler.Default);

            await conn.Exec("ls abc").Do(e =>
            {
                switch (e)
                {
                    case SshDataReceived data:
                        context.Out.Write(data.Text);
                        break;
                    case SshSessionClosed:
                        context.Out.WriteLine("Session closed.");
                        break;
                }
            }).LastOrDefaultAsync();
            return 0;
        }
        catch (SshException exc)
        {
            context.Error.WriteLine("SSH connection failed: " + exc.Message);
            return 1;
        }
    }
}
