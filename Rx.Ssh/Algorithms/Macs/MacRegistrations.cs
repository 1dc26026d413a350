namespace Rx.Ssh.Algorithms;

/// <summary>The MAC implementations that exist, gathered for <see cref="AlgorithmCatalog"/>.</summary>
internal static class MacRegistrations
{
    public static IEnumerable<MacAlgorithm> All => [];
}
