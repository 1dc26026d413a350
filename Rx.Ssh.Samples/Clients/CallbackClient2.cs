using System.Reactive.Linq;

namespace Rx.Ssh.Samples.Clients;

/// <summary>callback_client2: the same with only session events, printing output as it arrives.</summary>
internal sealed class CallbackClient2 : ISample
{
    public string Name => "callback_client2";

    public string Description => "Print a command's output as session events arrive.";

    public async Task<int> RunAsync(SampleContext context)
    {
        try
        {
            await using SshClientConnection conn = await SshClient.Connect(context.Host, context.ClientPort, context.ClientOptions);
            await conn.Exec("ls abc")
                .OfType<SshDataReceived>()
                .Do(data => context.Out.Write(data.Text))
                .LastOrDefaultAsync();
            return 0;
        }
        catch (SshException exc)
        {
            context.Error.WriteLine("SSH connection failed: " + exc.Message);
            return 1;
        }
    }
}
