using System.Diagnostics;
using System.Security.Cryptography;

namespace Rx.Ssh.Fuzz.Engine;

/// <summary>
/// Runs targets round-robin in slices until the time is up: each target's seeds first (unmutated,
/// they must pass), then mutations of them. Each input runs on a pool thread watched for the hang
/// limit and measured for allocation; an undocumented exception, a hang or an allocation past the
/// bound is a failure, saved once per distinct signature (target, kind, first library frame).
/// </summary>
internal sealed class FuzzRunner(FuzzOptions options, TextWriter log)
{
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(200);
    private readonly HashSet<string> _signatures = new(StringComparer.Ordinal);
    private readonly List<string> _distinct = [];
    private int _failures;

    /// <summary>Runs <paramref name="targets"/> for the configured duration.</summary>
    public FuzzSummary Run(IReadOnlyList<FuzzTarget> targets)
    {
        // One generator per target, from the seed and the target's name: a target's inputs are the
        // same sequence on every run with that seed, however many inputs the others got through.
        var randoms = targets.Select(t => new Random(options.Seed ^ StableHash(t.Name))).ToArray();
        var mutators = randoms.Select(r => new Mutator(r, options.MaxInputLength)).ToArray();
        var seeds = targets.Select(t => t.Seeds().ToArray()).ToArray();
        var stopwatch = Stopwatch.StartNew();
        long inputs = 0;
        long[] perTarget = new long[targets.Count];
        foreach ((FuzzTarget target, byte[][] own) in targets.Zip(seeds))
        {
            foreach (byte[] seed in own)
            {
                Execute(target, seed);
                inputs++;
            }
        }

        while (stopwatch.Elapsed < options.Duration)
        {
            for (int t = 0; t < targets.Count && stopwatch.Elapsed < options.Duration; t++)
            {
                FuzzTarget target = targets[t];
                byte[][] own = seeds[t];
                TimeSpan sliceEnd = stopwatch.Elapsed + Slice;
                while (stopwatch.Elapsed < sliceEnd)
                {
                    Random random = randoms[t];
                    byte[] input = mutators[t].Mutate(own[random.Next(own.Length)], own[random.Next(own.Length)], target.Dictionary);
                    Execute(target, input);
                    inputs++;
                    perTarget[t]++;
                }
            }
        }

        for (int t = 0; t < targets.Count; t++)
        {
            log.WriteLine($"  {targets[t].Name,-18} {perTarget[t],10} mutated inputs");
        }

        return new FuzzSummary(inputs, stopwatch.Elapsed, _failures, _distinct);
    }

    private static int StableHash(string name)
    {
        // FNV-1a: string.GetHashCode differs between runs.
        uint hash = 2166136261;
        foreach (char c in name)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)hash;
    }

    /// <summary>Feeds one input to one target and records a failure; true when it passed.</summary>
    public bool Execute(FuzzTarget target, byte[] input)
    {
        long before = GC.GetTotalAllocatedBytes();
        var run = Task.Factory.StartNew(() => target.Run(input), CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
        if (!((IAsyncResult)run).AsyncWaitHandle.WaitOne(options.HangLimit))
        {
            // The input is stuck; its thread is left behind (a hang is a bug to fix, not to survive).
            _ = run.ContinueWith(static t => t.Exception, TaskScheduler.Default);
            return Fail(target, input, "hang", $"still running after {options.HangLimit.TotalSeconds:F1} s", null);
        }

        long allocated = GC.GetTotalAllocatedBytes() - before;
        if (run.Exception?.InnerException is { } error && !target.IsExpected(error))
        {
            return Fail(target, input, error.GetType().Name, error.Message, error);
        }

        if (allocated > options.MemoryLimitBytes)
        {
            return Fail(target, input, "memory", $"allocated {allocated / (1024 * 1024)} MiB for one input", null);
        }

        return true;
    }

    private bool Fail(FuzzTarget target, byte[] input, string kind, string message, Exception? error)
    {
        _failures++;
        string where = error?.StackTrace?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("at Rx.Ssh.", StringComparison.Ordinal)) ?? string.Empty;
        string signature = $"{target.Name}: {kind} {where}";
        if (_signatures.Add(signature))
        {
            Directory.CreateDirectory(options.FailureDirectory);
            string name = $"{target.Name}-{Convert.ToHexString(SHA256.HashData(input))[..12].ToLowerInvariant()}";
            string path = Path.Combine(options.FailureDirectory, name + ".bin");
            File.WriteAllBytes(path, input);
            File.WriteAllText(Path.Combine(options.FailureDirectory, name + ".txt"), $"{signature}\n{message}\n{error}\n");
            string line = $"{signature} — {message} (input saved as {path})";
            _distinct.Add(line);
            log.WriteLine("failure: " + line);
        }

        return false;
    }
}
