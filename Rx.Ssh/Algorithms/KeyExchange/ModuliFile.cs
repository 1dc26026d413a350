using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;

namespace Rx.Ssh.Algorithms.KeyExchange;

/// <summary>
/// Groups for the server side of Diffie-Hellman group exchange, read from an OpenSSH
/// <c>moduli</c> file (moduli(5): <c>time type tests trials size generator modulus</c>, one a
/// line, size being the bit count minus one), with the RFC 3526 groups as the fallback.
/// </summary>
internal sealed class ModuliFile
{
    public const string DefaultPath = "/etc/ssh/moduli";

    private const int TypeSafePrime = 2;
    private const int TestComposite = 0x01;

    /// <summary>RFC 3526 groups 14 to 18 (2048 to 8192 bits), used when no moduli file is readable.</summary>
    public static ModuliFile BuiltIn { get; } = new(
    [
        DiffieHellmanGroup.Group14, DiffieHellmanGroup.Group15, DiffieHellmanGroup.Group16,
        DiffieHellmanGroup.Group17, DiffieHellmanGroup.Group18,
    ]);

    public ModuliFile(IReadOnlyList<DiffieHellmanGroup> groups) => Groups = groups;

    public IReadOnlyList<DiffieHellmanGroup> Groups { get; }

    private const int MaxCachedFiles = 8;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, CacheEntry> s_cache = new(StringComparer.Ordinal);

    /// <summary>
    /// Reads <paramref name="path"/> (default <see cref="DefaultPath"/>); the built-in groups when
    /// the file is missing, unreadable or holds no usable group. The parsed file is cached and
    /// read again only when its path, modification time or size changes, so a key exchange does
    /// not re-parse a file of hundreds of groups (a few paths are kept; servers use one).
    /// </summary>
    public static ModuliFile Load(string? path)
    {
        try
        {
            var info = new FileInfo(path ?? DefaultPath);
            if (!info.Exists)
            {
                return BuiltIn;
            }

            string fullPath = info.FullName;
            DateTime modified = info.LastWriteTimeUtc;
            long length = info.Length;
            if (s_cache.TryGetValue(fullPath, out CacheEntry? cached) && cached.Modified == modified && cached.Length == length)
            {
                return cached.File;
            }

            using var reader = new StreamReader(fullPath);
            ModuliFile parsed = Parse(reader);
            ModuliFile file = parsed.Groups.Count > 0 ? parsed : BuiltIn;
            if (s_cache.Count >= MaxCachedFiles)
            {
                s_cache.Clear();
            }

            s_cache[fullPath] = new CacheEntry(modified, length, file);
            return file;
        }
        catch (IOException)
        {
            return BuiltIn;
        }
        catch (UnauthorizedAccessException)
        {
            return BuiltIn;
        }
    }

    /// <summary>Parses moduli(5) text; skips comments, malformed lines, non-safe primes and untested ones.</summary>
    public static ModuliFile Parse(TextReader reader)
    {
        var groups = new List<DiffieHellmanGroup>();
        while (reader.ReadLine() is { } line)
        {
            string[] f = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 7 || f[0].StartsWith('#') ||
                !int.TryParse(f[1], CultureInfo.InvariantCulture, out int type) || type != TypeSafePrime ||
                !int.TryParse(f[2], CultureInfo.InvariantCulture, out int tests) || (tests & TestComposite) != 0 || (tests & ~TestComposite) == 0 ||
                !int.TryParse(f[4], CultureInfo.InvariantCulture, out int size) ||
                !TryParseHex(f[5], out BigInteger g) || !TryParseHex(f[6], out BigInteger p))
            {
                continue;
            }

            var group = new DiffieHellmanGroup(p, g);
            if (group.Bits == size + 1 && g > BigInteger.One && g < p - BigInteger.One)
            {
                groups.Add(group);
            }
        }

        return new ModuliFile(groups);
    }

    /// <summary>
    /// A group of a size within [<paramref name="min"/>, <paramref name="max"/>]: the smallest size
    /// at least <paramref name="preferred"/>, else the largest below it; random among groups of that
    /// size. Null when none fits.
    /// </summary>
    public DiffieHellmanGroup? Select(int min, int preferred, int max)
    {
        int best = -1;
        foreach (DiffieHellmanGroup group in Groups)
        {
            int bits = group.Bits;
            if (bits < min || bits > max)
            {
                continue;
            }

            bool better = best < 0 ||
                (bits >= preferred && (best < preferred || bits < best)) ||
                (bits < preferred && best < preferred && bits > best);
            if (better)
            {
                best = bits;
            }
        }

        if (best < 0)
        {
            return null;
        }

        DiffieHellmanGroup[] candidates = [.. Groups.Where(g => g.Bits == best)];
        return candidates[RandomNumberGenerator.GetInt32(candidates.Length)];
    }

    private static bool TryParseHex(string hex, out BigInteger value) =>
        BigInteger.TryParse("0" + hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);

    private sealed record CacheEntry(DateTime Modified, long Length, ModuliFile File);
}
