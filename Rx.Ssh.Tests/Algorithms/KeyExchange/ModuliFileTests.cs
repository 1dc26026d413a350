using System.Globalization;
using System.Numerics;
using Rx.Ssh.Algorithms.KeyExchange;

namespace Rx.Ssh.Tests.Algorithms.KeyExchange;

/// <summary>The group exchange server's moduli(5) source and its choice of group.</summary>
public sealed class ModuliFileTests
{
    private static string Line(DiffieHellmanGroup group, int type = 2, int tests = 6, int? size = null) =>
        string.Create(CultureInfo.InvariantCulture, $"20240101000000 {type} {tests} 100 {size ?? group.Bits - 1} {group.G:X} {Hex(group.P)}");

    private static string Hex(BigInteger value) => Convert.ToHexString(value.ToByteArray(isUnsigned: true, isBigEndian: true));

    [Fact]
    public void Parses_safe_tested_primes_and_skips_the_rest()
    {
        string text = string.Join('\n',
            "# Time Type Tests Tries Size Generator Modulus",
            Line(DiffieHellmanGroup.Group14),
            Line(DiffieHellmanGroup.Group15, type: 4), // not a safe prime
            Line(DiffieHellmanGroup.Group16, tests: 1), // composite
            Line(DiffieHellmanGroup.Group17, tests: 0), // untested
            Line(DiffieHellmanGroup.Group18, size: 4095), // size field lies
            "garbage line",
            Line(DiffieHellmanGroup.Group16));

        ModuliFile file = ModuliFile.Parse(new StringReader(text));

        Assert.Equal([2048, 4096], file.Groups.Select(g => g.Bits));
        Assert.Equal(DiffieHellmanGroup.Group14.P, file.Groups[0].P);
        Assert.Equal(new BigInteger(2), file.Groups[0].G);
    }

    [Theory]
    [InlineData(2048, 3072, 8192, 3072)]  // exact
    [InlineData(2048, 3500, 8192, 4096)]  // smallest at least n
    [InlineData(2048, 7680, 8192, 8192)]
    [InlineData(2048, 8192, 6144, 6144)]  // none as big as n within max: the largest below
    [InlineData(3000, 3000, 3100, 3072)]
    public void Picks_the_closest_size_within_bounds(int min, int n, int max, int expected)
    {
        Assert.Equal(expected, ModuliFile.BuiltIn.Select(min, n, max)!.Bits);
    }

    [Fact]
    public void Nothing_within_bounds_gives_null()
    {
        Assert.Null(ModuliFile.BuiltIn.Select(1024, 1024, 1536));
        Assert.Null(ModuliFile.BuiltIn.Select(2049, 3000, 3071));
    }

    [Fact]
    public void A_missing_file_falls_back_to_the_rfc3526_groups()
    {
        ModuliFile file = ModuliFile.Load(Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid(), "moduli"));
        Assert.Same(ModuliFile.BuiltIn, file);
        Assert.Equal([2048, 3072, 4096, 6144, 8192], file.Groups.Select(g => g.Bits));
    }

    [Fact]
    public void The_system_moduli_file_parses_when_present()
    {
        if (!File.Exists(ModuliFile.DefaultPath))
        {
            return;
        }

        ModuliFile file = ModuliFile.Load(null);
        Assert.NotSame(ModuliFile.BuiltIn, file);
        Assert.True(file.Groups.Count > 100);
        Assert.All(file.Groups, g => Assert.False(g.P.IsEven));
    }

    [Fact]
    public void A_loaded_file_is_cached_until_its_size_or_time_changes()
    {
        string path = Path.Combine(Path.GetTempPath(), "moduli-" + Guid.NewGuid());
        try
        {
            File.WriteAllText(path, Line(DiffieHellmanGroup.Group14) + "\n");
            ModuliFile first = ModuliFile.Load(path);
            Assert.Same(first, ModuliFile.Load(path));

            File.AppendAllText(path, Line(DiffieHellmanGroup.Group15) + "\n");
            ModuliFile grown = ModuliFile.Load(path);
            Assert.NotSame(first, grown);
            Assert.Equal([2048, 3072], grown.Groups.Select(g => g.Bits));

            File.WriteAllText(path, Line(DiffieHellmanGroup.Group16) + "\n" + Line(DiffieHellmanGroup.Group14) + "\n");
            File.SetLastWriteTimeUtc(path, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            Assert.Equal([4096, 2048], ModuliFile.Load(path).Groups.Select(g => g.Bits));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
