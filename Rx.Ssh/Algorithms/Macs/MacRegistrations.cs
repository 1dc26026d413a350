namespace Rx.Ssh.Algorithms.Macs;

/// <summary>The MAC implementations that exist, gathered for <see cref="AlgorithmCatalog"/>.</summary>
internal static class MacRegistrations
{
    public static IEnumerable<MacAlgorithm> All =>
    [
        UmacMac.Umac64Etm,
        UmacMac.Umac128Etm,
        HmacMac.HmacSha256Etm,
        HmacMac.HmacSha512Etm,
        HmacMac.HmacSha1Etm,
        UmacMac.Umac64,
        UmacMac.Umac128,
        HmacMac.HmacSha256,
        HmacMac.HmacSha512,
        HmacMac.HmacSha1,
        HmacMac.HmacSha1_96Etm,
        HmacMac.HmacMd5Etm,
        HmacMac.HmacMd5_96Etm,
        HmacMac.HmacSha1_96,
        HmacMac.HmacMd5,
        HmacMac.HmacMd5_96,
    ];
}
