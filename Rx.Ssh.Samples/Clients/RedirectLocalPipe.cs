using System.Diagnostics;

namespace Rx.Ssh.Samples.Clients;

/// <summary>
/// redirect_local_pipe: the remote command's stdin comes from a local process (local
/// <c>echo</c> piped into remote <c>tr a-z A-Z</c>).
/// </summary>
internal sealed class RedirectLocalPipe : ISample
{
    public string Name => "redirect_local_pipe";

    public string Description => "Pipe a local process's output (echo) into a remote 'tr a-z A-Z'.";

    public async Task<int> RunAsync(SampleContext context)
    {
        try
        {
            await using SshClientConnection conn = await SshClient.Connect(context.Host, context.ClientPort, context.ClientOptions);
            var local = new ProcessStartInfo("echo", ["Hello from a local process!"]);
            SshCompletedProcess result = await conn.Run("tr a-z A-Z", new SshProcessOptions { Stdin = SshSource.FromProcess(local) });
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
