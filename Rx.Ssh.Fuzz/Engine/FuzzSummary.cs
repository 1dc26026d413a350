namespace Rx.Ssh.Fuzz.Engine;

/// <summary>The result of a run.</summary>
/// <param name="Inputs">Inputs fed, over all targets.</param>
/// <param name="Elapsed">Time taken.</param>
/// <param name="Failures">Inputs that failed (an undocumented exception, a hang, or too much memory).</param>
/// <param name="Distinct">One line per distinct failure (target, kind, where), in the order found.</param>
internal sealed record FuzzSummary(long Inputs, TimeSpan Elapsed, int Failures, IReadOnlyList<string> Distinct)
{
    /// <summary>The run's last line: <c>fuzzed K inputs in T s: F failures</c>.</summary>
    public override string ToString() => $"fuzzed {Inputs} inputs in {Elapsed.TotalSeconds:F0} s: {Failures} failures";
}
