namespace Rx.Ssh.Samples.Clients;

/// <summary>check_exit_status: run a command and report its exit status, stdout and stderr.</summary>
internal sealed class CheckExitStatus : ISample
{
    public string Name => "check_exit_status";

    public string Description => "Run 'ls abc' and print its exit status, stdout and stderr.";

    public async Task<int> RunAsync(SampleContext context)
    {
        try
        {
            await using SshClientConnection conn = await SshClient.Connect(context.Host, context.ClientPort, context.ClientOptions);
            SshCompletedProcess result = await conn.Run("ls abc");
            if (result.ExitStatus == 0)
            {
                context.Out.Write(result.Stdout);
            }
            else
            {
                context.Error.Write(result.Stderr);
                context.Error.WriteLine($"Program exited with status {result.ExitCode}");
            }

            return 0;
        }
        catch (SshException exc)
        {
            context.Error.WriteLine("SSH connection failed: " + exc.Message);
            return 1;
        }
    }
}
