using System.Reactive.Linq;

namespace Rx.Ssh.Samples.Clients;

/// <summary>callback_client3: like callback_client2 but stderr output goes to stderr.</summary>
internal sealed class CallbackClient3 : ISample
{
    public string Name => "callback_client3";

    public string Description => "Print a command's stdout and stderr separately as they arrive.";

    public async Task<int> RunAsync(SampleContext context)
    {
        try
        {
            await using SshClientConnection conn = await SshClient.Connect(context.Host, context.ClientPort, context.ClientOptions);
            await conn.Exec("ls abc")
                .OfType<SshDataReceived>()
                .Do(data => (data.Stream == SshDataStream.Stderr ? context.Error : context.Out).Write(data.Text))
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
