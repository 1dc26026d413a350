using System.Reactive.Linq;

namespace Rx.Ssh.Samples.Clients;

/// <summary>
/// gather_results: the same command on several hosts at once (<c>--host</c> repeated, each
/// <c>[user@]host[:port]</c>); one block per host as it finishes, a failing host reported
/// without stopping the others.
/// </summary>
internal sealed class GatherResults : ISample
{
    public string Name => "gather_results";

    public string Description => "Run 'ls' on every --host at once; print one block per host, failures included.";

    public async Task<int> RunAsync(SampleContext context)
    {
        SshHost[] hosts = [.. context.Hosts.Select(h => SshHost.Parse(h, context.ClientOptions, context.ClientPort))];
        int failed = 0;

        // One result per host, success or exception, in the order they finish.
        await hosts.RunAll("ls").Do(result =>
        {
            if (result.Value is { } process)
            {
                context.Out.WriteLine($"== {result.Host}: exit status {process.Returncode}");
                context.Out.Write(process.Stdout);
                context.Out.Write(process.Stderr);
            }
            else
            {
                failed++;
                context.Out.WriteLine($"== {result.Host}: failed: {result.Error!.Message}");
            }
        }).DefaultIfEmpty();

        return failed == 0 ? 0 : 1;
    }
}
