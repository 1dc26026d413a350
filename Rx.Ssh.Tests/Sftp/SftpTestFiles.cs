using System.Security.Cryptography;

namespace Rx.Ssh.Tests.Sftp;

/// <summary>Local files for the SFTP tests: random content with its hash, hashes, and who holds a file open.</summary>
internal static class SftpTestFiles
{
    /// <summary>Writes <paramref name="size"/> random bytes to <paramref name="path"/>; returns their SHA-256.</summary>
    public static byte[] WriteRandomFile(string path, int size)
    {
        using var stream = File.Create(path);
        byte[] chunk = new byte[1024 * 1024];
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (int done = 0; done < size; done += chunk.Length)
        {
            int n = Math.Min(chunk.Length, size - done);
            RandomNumberGenerator.Fill(chunk.AsSpan(0, n));
            stream.Write(chunk, 0, n);
            sha.AppendData(chunk, 0, n);
        }

        return sha.GetHashAndReset();
    }

    public static byte[] Sha256(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return SHA256.HashData(stream);
    }

    /// <summary>The ids of processes holding <paramref name="path"/> open (read from /proc; the tests run as the server's user).</summary>
    public static List<int> ProcessesWithOpen(string path)
    {
        var holders = new List<int>();
        foreach (string process in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(process), out int pid))
            {
                continue;
            }

            try
            {
                foreach (string fd in Directory.EnumerateFileSystemEntries(Path.Combine(process, "fd")))
                {
                    if (new FileInfo(fd).LinkTarget == path)
                    {
                        holders.Add(pid);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone, or not ours.
            }
        }

        return holders;
    }
}
