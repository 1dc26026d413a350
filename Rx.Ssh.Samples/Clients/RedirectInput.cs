namespace Rx.Ssh.Samples.Clients;

/// <summary>
/// redirect_input: feed <c>1\n2\n3\n</c> to <c>tac</c> (the document's <c>tail -r</c>) and send
/// its output to the local file <c>/tmp/stdout</c> (<c>--output FILE</c> replaces it), which then
/// holds <c>3\n2\n1\n</c>. Prints nothing, as the original.
/// </summary>
internal sealed class RedirectInput : ISample
{
    public string Name => "redirect_input";

    public string Description => "Feed '1 2 3' (one per line) to 'tac'; its output goes to /tmp/stdout (--output).";

    public async Task<int> RunAsync(SampleContext context)
    {
        try
        {
            await using SshClientConnection conn = await SshClient.Connect(context.Host, context.ClientPort, context.ClientOptions);
            await conn.Run("tac", new SshProcessOptions
            {
                Stdin = SshSource.FromString("1\n2\n3\n"),
                Stdout = SshSink.ToFile(context.Output),
            });
            return 0;
        }
        catch (SshException exc)
        {
            context.Error.WriteLine("SSH connection failed: " + exc.Message);
            return 1;
        }
    }
}
