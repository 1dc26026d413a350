using System.Security.Cryptography;
using System.Text;
using Rx.Ssh.Keys;

namespace Rx.Ssh.Client;

/// <summary>
/// Private keys read from files, kept for the process and shared by every connection that names
/// the same file (same length and modification time, settled: see <see cref="IO.FileStamp"/>) with
/// the same passphrase and load limits, so
/// a fleet of connections reads and decrypts each key once (<see cref="SshClientOptions.CacheKeyFiles"/>).
/// The passphrase is kept only as a SHA-256 digest, compared in constant time. A changed file is
/// read again. At most <see cref="Capacity"/> keys; the oldest is forgotten first (not disposed: a
/// connection may be signing with it). Keys are signed with concurrently, as a server's host keys are.
/// </summary>
internal static class KeyFileCache
{
    /// <summary>The most keys kept.</summary>
    public const int Capacity = 64;

    private static readonly Lock Gate = new();
    private static readonly LinkedList<Entry> Entries = [];

    /// <summary>The key in <paramref name="path"/>: from the cache when the file and passphrase match, else read (and kept).</summary>
    /// <exception cref="SshKeyFormatException">The file is not a key, or the passphrase is wrong.</exception>
    public static SshPrivateKey Load(string path, string? passphrase, SshKeyLoadLimits limits, CancellationToken cancellationToken)
    {
        if (IO.FileStamp.Settled(path) is not { } stamp)
        {
            // Missing (the load says why), or modified so recently that its length and time may not name its content yet.
            return SshPrivateKey.Load(path, passphrase, limits, cancellationToken);
        }

        byte[] digest = Digest(passphrase);
        lock (Gate)
        {
            for (LinkedListNode<Entry>? node = Entries.First; node is not null; node = node.Next)
            {
                Entry e = node.Value;
                if (e.Stamp == stamp && e.Limits == limits && CryptographicOperations.FixedTimeEquals(e.Passphrase, digest))
                {
                    return e.Key;
                }
            }
        }

        SshPrivateKey key = SshPrivateKey.Load(path, passphrase, limits, cancellationToken);
        lock (Gate)
        {
            Entries.AddFirst(new Entry(stamp, limits, digest, key));
            while (Entries.Count > Capacity)
            {
                Entries.RemoveLast();
            }
        }

        return key;
    }

    /// <summary>Forgets every kept key (see <see cref="SshClient.ClearKeyFileCache"/>); keys in use stay usable.</summary>
    public static void Clear()
    {
        lock (Gate)
        {
            Entries.Clear();
        }
    }

    private static byte[] Digest(string? passphrase) =>
        passphrase is null ? new byte[SHA256.HashSizeInBytes + 1] : [1, .. SHA256.HashData(Encoding.UTF8.GetBytes(passphrase))];

    private sealed record Entry(IO.FileStamp Stamp, SshKeyLoadLimits Limits, byte[] Passphrase, SshPrivateKey Key);
}
