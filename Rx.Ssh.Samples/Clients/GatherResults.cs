using System.Reactive.Linq;

namespace Rx.Ssh.Samples.Clients;

/// <summary>
/// gather_results: <c>ls abc</c> on several hosts at once (<c>--host</c> repeated, each
/// <c>[user@]host[:port]</c>; given once or not at all, that host five times, as the original's
/// <c>5 * ['localhost']</c>). When every task has finished, one block per task in list order:
/// its stdout, its stderr with the exit status, or why it failed; a failing host never stops the others.
/// </summary>
internal sealed class GatherResults : ISample
{
    private static readonly string Separator = new('-', 75);

    public string Name => "gather_results";

    public string Description => "Run 'ls abc' on five hosts at once (--host repeated for others); print each result in order.";

    public async Task<int> RunAsync(SampleContext context)
    {
        IReadOnlyList<string> hosts = context.AllHosts.Count > 1 ? context.AllHosts : [.. Enumerable.Repeat(context.Host, 5)];

        // One result per host, success or exception (asyncio.gather with return_exceptions=True), then list order.
        IList<SshHostResult<SshCompletedProcess>> results = await hosts
            .Select(h => SshHost.Parse(h, context.ClientOptions, context.ClientPort))
            .RunAll("ls abc")
            .ToList();

        foreach (SshHostResult<SshCompletedProcess> result in results.OrderBy(r => r.Index))
        {
            int task = result.Index + 1;
            string host = hosts[result.Index];
            switch (result)
            {
                case { Error: { } error }:
                    context.Out.WriteLine($"Task {task} to host {host} failed: {error.Message}");
                    break;
                case { Value: { ExitStatus: not 0 } process }:
                    context.Out.WriteLine($"Task {task} to host {host} exited with status {process.ExitCode}:");
                    context.Out.Write(process.Stderr);
                    break;
                case { Value: { } process }:
                    context.Out.WriteLine($"Task {task} to host {host} succeeded:");
                    context.Out.Write(process.Stdout);
                    break;
            }

            context.Out.WriteLine(Separator);
        }

        return 0;
    }
}
