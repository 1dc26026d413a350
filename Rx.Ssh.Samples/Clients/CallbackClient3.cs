namespace Rx.Ssh.Samples.Clients;

/// <summary>callback_client3: like callback_client2, but stderr data goes to stderr.</summary>
internal sealed class CallbackClient3 : ISample
{
    public string Name => "callback_client3";

    public string Description => "Print a command's stdout and stderr separately as they arrive.";

    public async Task<int> RunAsync(SampleContext context)
    {
        SshClientConnection conn;
        try
        {
            conn = await SshClient.Connect(context.Host, context.ClientPort, context.ClientOptions);
        }
        catch (SshException exc)
        {
            context.Error.WriteLine("SSH connection failed: " + exc.Message);
            return 1;
        }

        await using (conn)
        {
            return await SessionSample.PrintAsync(conn, "ls abc", context, splitStderr: true);
        }
    }
}
