/// <summary>
/// Placeholder until the Rx.Ssh server API lands: InProcessSetup.cs.pending holds the real
/// measurement (Rx.Ssh client to Rx.Ssh server in one process) and replaces this file.
/// </summary>
internal static class InProcessSetup
{
    public static Task<int> RunAsync(BenchmarkOptions options, TextWriter output)
    {
        _ = options;
        output.WriteLine("in-process: not available (this build has no Rx.Ssh server; see InProcessSetup.cs.pending)");
        return Task.FromResult(0);
    }
}
