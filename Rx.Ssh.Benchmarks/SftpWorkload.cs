using System.Globalization;
using System.Security.Cryptography;

/// <summary>
/// The files the SFTP benchmark moves, in a temporary directory that <see cref="Dispose"/> deletes:
/// one large file (<c>src/big.bin</c>) and a tree of small files (<c>src/tree</c>, 100 files per
/// subdirectory), random content, and the destinations the transfers write (<c>dst/…</c>,
/// emptied before each transfer). Client and servers are on this machine, so a remote path and a
/// local path are the same kind of absolute path here.
/// </summary>
internal sealed class SftpWorkload : IDisposable
{
    public const int SmallFileSize = 64 * 1024;
    private const int FilesPerDirectory = 100;

    private SftpWorkload(string root, long bigBytes, int files)
    {
        Root = root;
        BigBytes = bigBytes;
        Files = files;
    }

    public string Root { get; }

    public long BigBytes { get; }

    public int Files { get; }

    public long TreeBytes => (long)Files * SmallFileSize;

    public string BigSource => Path.Combine(Root, "src", "big.bin");

    public string TreeSource => Path.Combine(Root, "src", "tree");

    public string BigDestination => Path.Combine(Root, "dst", "big.bin");

    public string TreeDestination => Path.Combine(Root, "dst", "tree");

    /// <summary>Writes the sources: <paramref name="bigBytes"/> in one file, <paramref name="files"/> small files.</summary>
    public static async Task<SftpWorkload> CreateAsync(long bigBytes, int files, string name = "rxssh-sftp-bench-")
    {
        var workload = new SftpWorkload(Directory.CreateTempSubdirectory(name).FullName, bigBytes, files);
        try
        {
            Directory.CreateDirectory(Path.Combine(workload.Root, "dst"));
            Directory.CreateDirectory(workload.TreeSource);
            byte[] block = RandomNumberGenerator.GetBytes(1024 * 1024);
            await using (var big = new FileStream(workload.BigSource, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
            {
                for (long left = bigBytes; left > 0; left -= block.Length)
                {
                    block[0]++; // no two megabytes alike
                    await big.WriteAsync(block.AsMemory(0, (int)Math.Min(left, block.Length)));
                }
            }

            for (int i = 0; i < files; i++)
            {
                string dir = Path.Combine(workload.TreeSource, string.Create(CultureInfo.InvariantCulture, $"d{i / FilesPerDirectory:D3}"));
                Directory.CreateDirectory(dir);
                int offset = (i * 4099) % (block.Length - SmallFileSize);
                await File.WriteAllBytesAsync(Path.Combine(dir, string.Create(CultureInfo.InvariantCulture, $"f{i:D5}.bin")), block.AsMemory(offset, SmallFileSize));
            }

            return workload;
        }
        catch
        {
            workload.Dispose();
            throw;
        }
    }

    /// <summary>Removes what a transfer wrote, so the next one starts from nothing.</summary>
    public void ClearDestinations()
    {
        if (File.Exists(BigDestination))
        {
            File.Delete(BigDestination);
        }

        if (Directory.Exists(TreeDestination))
        {
            Directory.Delete(TreeDestination, true);
        }
    }

    /// <summary>Throws unless the destination has the source's size (or, with <paramref name="content"/>, its bytes).</summary>
    public void CheckBig(bool content)
    {
        long length = new FileInfo(BigDestination).Length;
        if (length != BigBytes || (content && !SameContent(BigSource, BigDestination)))
        {
            throw new InvalidOperationException($"{BigDestination}: {length} bytes, expected a copy of {BigSource} ({BigBytes} bytes)");
        }
    }

    /// <summary>Throws unless the destination tree has every source file with its size (or, with <paramref name="content"/>, its bytes).</summary>
    public void CheckTree(bool content)
    {
        int found = 0;
        foreach (string source in Directory.EnumerateFiles(TreeSource, "*", SearchOption.AllDirectories))
        {
            string copy = Path.Combine(TreeDestination, Path.GetRelativePath(TreeSource, source));
            if (!File.Exists(copy) || new FileInfo(copy).Length != SmallFileSize || (content && !SameContent(source, copy)))
            {
                throw new InvalidOperationException($"{copy}: missing or not a copy of {source}");
            }

            found++;
        }

        if (found != Files)
        {
            throw new InvalidOperationException($"{TreeSource}: {found} files, expected {Files}");
        }
    }

    public void Dispose() => Directory.Delete(Root, true);

    private static bool SameContent(string a, string b)
    {
        using FileStream fa = File.OpenRead(a);
        using FileStream fb = File.OpenRead(b);
        return SHA256.HashData(fa).AsSpan().SequenceEqual(SHA256.HashData(fb));
    }
}
