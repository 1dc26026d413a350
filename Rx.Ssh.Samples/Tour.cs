namespace Rx.Ssh.Samples;

/// <summary>The self-contained tour (samples.md).</summary>
internal static class Tour
{
    public static Task<int> RunAsync(SampleContext context)
    {
        context.Error.WriteLine("The tour needs the embedded server (issue 3); not yet available.");
        return Task.FromResult(1);
    }
}
