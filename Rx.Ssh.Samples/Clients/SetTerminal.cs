namespace Rx.Ssh.Samples.Clients;

/// <summary>set_terminal: request a pty of type <c>xterm-color</c>, 80x24, and show what the remote side sees.</summary>
internal sealed class SetTerminal : ISample
{
    public string Name => "set_terminal";

    public string Description => "Request an xterm-color 80x24 pty; run 'echo $TERM; stty size'.";

    public async Task<int> RunAsync(SampleContext context)
    {
        try
        {
            await using SshClientConnection conn = await SshClient.Connect(context.Host, context.ClientPort, context.ClientOptions);
            var options = new SshProcessOptions { Terminal = new SshTerminal("xterm-color", 80, 24) };
            SshCompletedProcess result = await conn.Run("echo $TERM; stty size", options);
            context.Out.Write(result.Stdout);
            return 0;
        }
        catch (SshException exc)
        {
            context.Error.WriteLine("SSH connection failed: " + exc.Message);
            return 1;
        }
    }
}
