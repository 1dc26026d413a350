namespace Rx.Ssh.Samples.Clients;

/// <summary>math_client: an interactive process: write a sum to <c>bc</c>, read its answer, repeat.</summary>
internal sealed class MathClient : ISample
{
    public string Name => "math_client";

    public string Description => "Talk to a remote 'bc': write 2+2, 1*2*3*4, 2^32 and read each answer.";

    public async Task<int> RunAsync(SampleContext context)
    {
        try
        {
            await using SshClientConnection conn = await SshClient.Connect(context.Host, context.ClientPort, context.ClientOptions);
            await using SshClientProcess bc = await conn.CreateProcessAsync("bc");
            foreach (string op in (string[])["2+2", "1*2*3*4", "2^32"])
            {
                await bc.Stdin.WriteLineAsync(op);
                string? answer = await bc.Stdout.ReadLineAsync();
                if (answer is null)
                {
                    context.Error.Write(await bc.Stderr.ReadToEndAsync());
                    return 1;
                }

                context.Out.WriteLine($"{op} = {answer}");
            }

            await bc.Stdin.CloseAsync();
            SshProcessExit exit = await bc.WaitForExitAsync();
            return exit.Succeeded ? 0 : 1;
        }
        catch (SshException exc)
        {
            context.Error.WriteLine("SSH connection failed: " + exc.Message);
            return 1;
        }
    }
}
