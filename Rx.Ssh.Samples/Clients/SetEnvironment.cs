namespace Rx.Ssh.Samples.Clients;

/// <summary>set_environment: run <c>env</c> with <c>LANG</c> and <c>LC_COLLATE</c> sent to the server.</summary>
internal sealed class SetEnvironment : ISample
{
    public string Name => "set_environment";

    public string Description => "Run 'env' with LANG and LC_COLLATE sent.";

    public async Task<int> RunAsync(SampleContext context)
    {
        try
        {
            await using SshClientConnection conn = await SshClient.Connect(context.Host, context.ClientPort, context.ClientOptions);
            var options = new SshProcessOptions { Environment = new Dictionary<string, string> { ["LANG"] = "en_GB", ["LC_COLLATE"] = "C" } };
            SshCompletedProcess result = await conn.Run("env", options);
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
