namespace Rx.Ssh.Samples.Clients;

/// <summary>
/// redirect_remote_pipe: the remote command's stdin comes from another remote process, here
/// on a second connection (<c>echo</c> on one piped into <c>tr a-z A-Z</c> on the other).
/// </summary>
internal sealed class RedirectRemotePipe : ISample
{
    public string Name => "redirect_remote_pipe";

    public string Description => "Pipe a remote 'echo' on one connection into a remote 'tr a-z A-Z' on another.";

    public async Task<int> RunAsync(SampleContext context)
    {
        try
        {
            await using SshClientConnection conn1 = await SshClient.Connect(context.Host, context.ClientPort, context.ClientOptions);
            await using SshClientConnection conn2 = await SshClient.Connect(context.Host, context.ClientPort, context.ClientOptions);
            await using SshClientProcess proc1 = await conn1.CreateProcessAsync("echo 'Hello, world!'");
            SshCompletedProcess proc2 = await conn2.Run("tr a-z A-Z", new SshProcessOptions { Stdin = SshSource.FromRemote(proc1) });
            context.Out.Write(proc2.Stdout);
            return 0;
        }
        catch (SshException exc)
        {
            context.Error.WriteLine("SSH connection failed: " + exc.Message);
            return 1;
        }
    }
}
