using Rx.Ssh.Keys;
using Rx.Ssh.Trust;

namespace Rx.Ssh;

/// <summary>
/// A parsed OpenSSH authorized_keys file for the server side. Malformed lines (bad keys, unknown
/// or malformed options) are skipped, as sshd does, and reported in <see cref="Warnings"/>.
/// </summary>
public sealed class AuthorizedKeysFile
{
    private AuthorizedKeysFile(string? path, IReadOnlyList<AuthorizedKeyEntry> entries, IReadOnlyList<TrustFileWarning> warnings)
    {
        Path = path;
        Entries = entries;
        Warnings = warnings;
    }

    /// <summary>The file this was loaded from, or null when parsed from text.</summary>
    public string? Path { get; }

    /// <summary>Every well-formed entry, in file order.</summary>
    public IReadOnlyList<AuthorizedKeyEntry> Entries { get; }

    /// <summary>The malformed lines that were skipped.</summary>
    public IReadOnlyList<TrustFileWarning> Warnings { get; }

    /// <summary>Loads <paramref name="path"/>. A missing file gives an empty result, not an error.</summary>
    /// <exception cref="SshTrustFileException">The path is not a regular file or the file is larger than 1 MiB.</exception>
    public static AuthorizedKeysFile Load(string path) => Parse(TrustFileText.Read(path), path);

    /// <summary>Loads <paramref name="path"/> asynchronously. A missing file gives an empty result, not an error.</summary>
    /// <exception cref="SshTrustFileException">The path is not a regular file or the file is larger than 1 MiB.</exception>
    public static async ValueTask<AuthorizedKeysFile> LoadAsync(string path, CancellationToken cancellationToken = default) =>
        Parse(await TrustFileText.ReadAsync(path, cancellationToken).ConfigureAwait(false), path);

    /// <summary>Parses authorized_keys text.</summary>
    /// <param name="text">The file's content.</param>
    /// <param name="path">The file name to record in entries and warnings, if any.</param>
    public static AuthorizedKeysFile Parse(string text, string? path = null)
    {
        (List<AuthorizedKeyEntry> entries, List<TrustFileWarning> warnings) = TrustFileText.ParseLines<AuthorizedKeyEntry>(text, path, AuthorizedKeyEntry.ParseLine);
        return new AuthorizedKeysFile(path, entries, warnings);
    }

    /// <summary>
    /// The user-key entries (not <c>cert-authority</c> ones) holding <paramref name="key"/>. The caller
    /// still applies each entry's options (<see cref="AuthorizedKeyEntry.MatchesSource"/>, expiry, ...).
    /// </summary>
    public IReadOnlyList<AuthorizedKeyEntry> Find(SshPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Find(key.KeyType, key.Blob.Span);
    }

    /// <summary>The user-key entries holding the key given as type and blob (compared byte for byte).</summary>
    public IReadOnlyList<AuthorizedKeyEntry> Find(string keyType, ReadOnlySpan<byte> blob)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyType);
        var result = new List<AuthorizedKeyEntry>();
        foreach (AuthorizedKeyEntry entry in Entries)
        {
            if (!entry.IsCertificateAuthority && string.Equals(entry.KeyType, keyType, StringComparison.Ordinal) && entry.HasKey(blob))
            {
                result.Add(entry);
            }
        }

        return result;
    }

    /// <summary>The <c>cert-authority</c> entries: keys trusted to sign user certificates.</summary>
    public IReadOnlyList<AuthorizedKeyEntry> FindCertificateAuthorities()
        => Entries.Where(e => e.IsCertificateAuthority).ToArray();
}
