namespace Rx.Ssh.Samples.Clients;

/// <summary>simple_client: run <c>ls abc</c> with the check flag and print its output.</summary>
internal sealed class SimpleClient : ISample
{
    public string Name => "simple_client";

    public string Description => "Run 'ls abc' on the server and print its output (check flag on).";

    public async Task<int> RunAsync(SampleContext context)
    {
        try
        {
            await using SshClientConnection conn = await SshClient.Connect(context.Host, context.ClientPort, context.ClientOptions);
            SshCompletedProcess result = await conn.Run("ls abc", check: true);
            context.Out.Write(result.Stdout);
            return 0;
        }
        catch (SshProcessException exc)
        {
            // As the original: the failing command's stderr on stdout, the status on stderr.
            context.Out.Write(exc.Stderr);
            context.Error.WriteLine($"Process exited with status {exc.Process.ExitCode}");
            return 1;
        }
        catch (SshException exc)
        {
            context.Error.WriteLine("SSH connection failed: " + exc.Message);
            return 1;
        }
    }
}
