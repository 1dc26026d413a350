namespace Rx.Ssh.Fuzz.Engine;

/// <summary>What a fuzzing run does (from the command line: see <see cref="FuzzProgram"/>).</summary>
/// <param name="Duration">How long to run, all targets sharing it round-robin.</param>
/// <param name="Targets">Target names to run; empty for all.</param>
/// <param name="FailureDirectory">Where failing inputs are saved.</param>
/// <param name="Seed">The random seed: with the same seed each target gets the same inputs in the same order (how many depends on the time).</param>
/// <param name="HangLimit">An input running longer than this is a failure.</param>
/// <param name="MemoryLimitBytes">An input allocating more than this is a failure (unbounded memory).</param>
/// <param name="MaxInputLength">Mutated inputs are cut to this length.</param>
internal sealed record FuzzOptions(
    TimeSpan Duration,
    IReadOnlyList<string> Targets,
    string FailureDirectory,
    int Seed,
    TimeSpan HangLimit,
    long MemoryLimitBytes,
    int MaxInputLength)
{
    /// <summary>Defaults: 10 s, all targets, <c>fuzz-failures/</c>, a time-based seed, 1 s, 64 MiB, 64 KiB.</summary>
    public static FuzzOptions Default { get; } = new(
        TimeSpan.FromSeconds(10),
        [],
        "fuzz-failures",
        Environment.TickCount,
        TimeSpan.FromSeconds(1),
        64L * 1024 * 1024,
        64 * 1024);
}
