using System.Security.Cryptography;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// A small tree for recursive SCP tests: <c>tree/big.bin</c> (random bytes, with a set modification
/// time) and <c>tree/sub/small.txt</c>; <see cref="AssertCopyAsync"/> checks a copy of it, times kept.
/// </summary>
internal sealed record ScpTestTree(string Path, byte[] Big, DateTime Modified)
{
    /// <summary>Writes the tree as <c>tree</c> inside <paramref name="parent"/>.</summary>
    public static async Task<ScpTestTree> CreateAsync(string parent, int bigSize, DateTime modified)
    {
        string tree = System.IO.Path.Combine(parent, "tree");
        Directory.CreateDirectory(System.IO.Path.Combine(tree, "sub"));
        byte[] big = RandomNumberGenerator.GetBytes(bigSize);
        await File.WriteAllBytesAsync(System.IO.Path.Combine(tree, "big.bin"), big);
        await File.WriteAllTextAsync(System.IO.Path.Combine(tree, "sub", "small.txt"), "small\n");
        File.SetLastWriteTimeUtc(System.IO.Path.Combine(tree, "big.bin"), modified);
        return new ScpTestTree(tree, big, modified);
    }

    /// <summary>Asserts that <paramref name="copy"/> holds the same files, the large one's time kept.</summary>
    public async Task AssertCopyAsync(string copy)
    {
        Assert.Equal(Big, await File.ReadAllBytesAsync(System.IO.Path.Combine(copy, "big.bin")));
        Assert.Equal("small\n", await File.ReadAllTextAsync(System.IO.Path.Combine(copy, "sub", "small.txt")));
        Assert.Equal(Modified, File.GetLastWriteTimeUtc(System.IO.Path.Combine(copy, "big.bin")));
    }
}
