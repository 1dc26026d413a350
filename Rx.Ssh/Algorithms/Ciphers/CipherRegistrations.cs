namespace Rx.Ssh.Algorithms.Ciphers;

/// <summary>The cipher implementations that exist, gathered for <see cref="AlgorithmCatalog"/>.</summary>
internal static class CipherRegistrations
{
    public static IEnumerable<CipherAlgorithm> All => [];
}
