using System.Diagnostics;

namespace Rx.Ssh.Samples.Clients;

/// <summary>
/// redirect_local_pipe: the remote command's stdin is a local process's stdout (local
/// <c>printf '1\n2\n3\n'</c> into remote <c>tac</c>); prints <c>3</c>, <c>2</c>, <c>1</c>.
/// </summary>
internal sealed class RedirectLocalPipe : ISample
{
    public string Name => "redirect_local_pipe";

    public string Description => "Pipe a local process's output ('1 2 3', one per line) into a remote 'tac'.";

    public async Task<int> RunAsync(SampleContext context)
    {
        try
        {
            await using SshClientConnection conn = await SshClient.Connect(context.Host, context.ClientPort, context.ClientOptions);
            var local = new ProcessStartInfo("printf", [@"1\n2\n3\n"]);
            SshCompletedProcess result = await conn.Run("tac", new SshProcessOptions { Stdin = SshSource.FromProcess(local) });
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
