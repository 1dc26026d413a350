namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// Tests that assert on <see cref="GC.GetTotalMemory(bool)"/>: the heap is the whole process's, so
/// they run on their own, after the parallel tests, where nothing else allocates meanwhile.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasuringCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "heap measuring";
}
