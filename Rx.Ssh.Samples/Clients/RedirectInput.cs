namespace Rx.Ssh.Samples.Clients;

/// <summary>
/// redirect_input: feed <c>1\n2\n3\n</c> to a line-reversing command (<c>tac</c>) and send its
/// output to a local file (a new temporary file, as <c>mktemp</c> would make), then show the file.
/// </summary>
internal sealed class RedirectInput : ISample
{
    public string Name => "redirect_input";

    public string Description => "Feed '1 2 3' (one per line) to 'tac' and write its output to a local file.";

    public async Task<int> RunAsync(SampleContext context)
    {
        string file = Path.GetTempFileName();
        try
        {
            await using SshClientConnection conn = await SshClient.Connect(context.Host, context.ClientPort, context.ClientOptions);
            await conn.Run("tac", new SshProcessOptions
            {
                Stdin = SshSource.FromString("1\n2\n3\n"),
                Stdout = SshSink.ToFile(file),
            });
            context.Out.WriteLine($"Output written to {file}:");
            context.Out.Write(await File.ReadAllTextAsync(file));
            return 0;
        }
        catch (SshException exc)
        {
            context.Error.WriteLine("SSH connection failed: " + exc.Message);
            return 1;
        }
    }
}
