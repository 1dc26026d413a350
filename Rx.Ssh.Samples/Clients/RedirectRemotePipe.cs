namespace Rx.Ssh.Samples.Clients;

/// <summary>
/// redirect_remote_pipe: on one connection, a remote process's stdout is another remote
/// process's stdin (<c>printf '1\n2\n3\n'</c> into <c>tac</c>); prints <c>3</c>, <c>2</c>, <c>1</c>.
/// </summary>
internal sealed class RedirectRemotePipe : ISample
{
    public string Name => "redirect_remote_pipe";

    public string Description => "Pipe a remote 'printf' into a remote 'tac', both on one connection.";

    public async Task<int> RunAsync(SampleContext context)
    {
        try
        {
            await using SshClientConnection conn = await SshClient.Connect(context.Host, context.ClientPort, context.ClientOptions);
            await using SshClientProcess proc1 = await conn.CreateProcessAsync(@"printf '1\n2\n3\n'");
            SshCompletedProcess proc2 = await conn.Run("tac", new SshProcessOptions { Stdin = SshSource.FromRemote(proc1) });
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
