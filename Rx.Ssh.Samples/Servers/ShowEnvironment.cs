namespace Rx.Ssh.Samples.Servers;

/// <summary>show_environment: list the environment variables the client sent, or fail when it sent none.</summary>
internal sealed class ShowEnvironment : ISample
{
    public string Name => "show_environment";

    public string Description => "List the environment variables the client sent (exit 1 if none).";

    public Task<int> RunAsync(SampleContext context) => ServerSample.ListenWithUserCaAsync(context, HandleClientAsync);

    private static async Task HandleClientAsync(SshServerProcess process)
    {
        if (process.Environment.Count == 0)
        {
            await process.Stderr.WriteAsync("No environment sent.\n");
            process.ExitStatus = 1;
            return;
        }

        int width = process.Environment.Keys.Max(key => key.Length) + 1;
        await process.Stdout.WriteAsync("Environment:\n");
        foreach ((string key, string value) in process.Environment.OrderBy(variable => variable.Key, StringComparer.Ordinal))
        {
            await process.Stdout.WriteAsync($"  {(key + ":").PadRight(width)} {value}\n");
        }
    }
}
