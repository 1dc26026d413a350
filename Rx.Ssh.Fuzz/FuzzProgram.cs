using System.Globalization;
using Rx.Ssh.Fuzz.Engine;
using Rx.Ssh.Fuzz.Targets;

namespace Rx.Ssh.Fuzz;

/// <summary>
/// The fuzzer's command line: <c>--seconds N</c> (default 10), <c>--target NAME</c> (repeatable;
/// default all), <c>--seed N</c>, <c>--failures DIR</c> (default <c>fuzz-failures</c>),
/// <c>--list</c>, and <c>--replay FILE --target NAME</c> to run one saved input again. Ends with
/// the line <c>fuzzed K inputs in T s: F failures</c>; exit code 1 when F is not 0.
/// </summary>
public static class FuzzProgram
{
    /// <summary>Runs the command line <paramref name="args"/>, writing to <paramref name="output"/>; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        FuzzOptions options = FuzzOptions.Default;
        var names = new List<string>();
        string? replay = null;
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : string.Empty;
            switch (args[i])
            {
                case "--seconds":
                    options = options with { Duration = TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)) };
                    i++;
                    break;
                case "--seed":
                    options = options with { Seed = int.Parse(value, CultureInfo.InvariantCulture) };
                    i++;
                    break;
                case "--failures":
                    options = options with { FailureDirectory = value };
                    i++;
                    break;
                case "--target":
                    names.Add(value);
                    i++;
                    break;
                case "--replay":
                    replay = value;
                    i++;
                    break;
                case "--list":
                    foreach (FuzzTarget t in FuzzTargets.All())
                    {
                        output.WriteLine(t.Name);
                    }

                    return 0;
                default:
                    output.WriteLine($"unknown option '{args[i]}' (--seconds N, --target NAME, --seed N, --failures DIR, --list, --replay FILE)");
                    return 2;
            }
        }

        IReadOnlyList<FuzzTarget> all = FuzzTargets.All();
        List<FuzzTarget> targets = names.Count == 0 ? [.. all] : [.. all.Where(t => names.Contains(t.Name))];
        if (targets.Count < names.Distinct(StringComparer.Ordinal).Count())
        {
            output.WriteLine("unknown target; --list names them");
            return 2;
        }

        var runner = new FuzzRunner(options, output);
        if (replay is not null)
        {
            bool passed = targets.Count == 1 && runner.Execute(targets[0], File.ReadAllBytes(replay));
            output.WriteLine(passed ? "passed" : "failed");
            return passed ? 0 : 1;
        }

        output.WriteLine($"fuzzing {string.Join(", ", targets.Select(t => t.Name))} for {options.Duration.TotalSeconds:F0} s, seed {options.Seed}");
        FuzzSummary summary = runner.Run(targets);
        output.WriteLine(summary);
        return summary.Failures == 0 ? 0 : 1;
    }
}
