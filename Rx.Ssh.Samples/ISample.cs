namespace Rx.Ssh.Samples;

/// <summary>One program of the reference document.</summary>
internal interface ISample
{
    /// <summary>The example's file name without <c>.py</c>.</summary>
    string Name { get; }

    /// <summary>One line for <c>list</c>.</summary>
    string Description { get; }

    /// <summary>Runs the sample; returns the process exit code.</summary>
    Task<int> RunAsync(SampleContext context);
}
