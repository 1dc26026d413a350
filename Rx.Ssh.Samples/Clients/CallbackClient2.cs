namespace Rx.Ssh.Samples.Clients;

/// <summary>callback_client2: only the session's data, printed as it arrives.</summary>
internal sealed class CallbackClient2 : ISample
{
    public string Name => "callback_client2";

    public string Description => "Print a command's output as session events arrive.";

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
            return await SessionSample.PrintAsync(conn, "ls abc", context, splitStderr: false);
        }
    }
}
