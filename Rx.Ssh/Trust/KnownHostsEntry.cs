using System.Security.Cryptography;
using System.Text;
using Rx.Ssh.Keys;
using Rx.Ssh.Trust;

namespace Rx.Ssh;

/// <summary>
/// One line of a known_hosts file: an optional marker, the host patterns (a comma-separated
/// pattern list or one hashed <c>|1|salt|hash</c> name), the key type and blob, and a comment.
/// </summary>
public sealed class KnownHostsEntry
{
    private const string HashPrefix = "|1|";
    private const int Sha1Length = 20;

    private readonly byte[] _blob;
    private readonly byte[]? _salt;
    private readonly byte[]? _hash;

    private KnownHostsEntry(
        KnownHostsMarker marker, string hosts, byte[]? salt, byte[]? hash, string keyType, byte[] blob, string? comment, string? path, int lineNumber)
    {
        Marker = marker;
        Hosts = hosts;
        _salt = salt;
        _hash = hash;
        KeyType = keyType;
        _blob = blob;
        Comment = comment;
        Path = path;
        LineNumber = lineNumber;
    }

    /// <summary>The line's marker (<c>@revoked</c>, <c>@cert-authority</c>) or <see cref="KnownHostsMarker.None"/>.</summary>
    public KnownHostsMarker Marker { get; }

    /// <summary>The host field as written: a pattern list, or a hashed <c>|1|salt|hash</c> name.</summary>
    public string Hosts { get; }

    /// <summary>True when <see cref="Hosts"/> is a hashed name rather than a pattern list.</summary>
    public bool IsHashed => _hash is not null;

    /// <summary>The key type, e.g. <c>ssh-ed25519</c>.</summary>
    public string KeyType { get; }

    /// <summary>The key's wire blob.</summary>
    public ReadOnlyMemory<byte> Blob => _blob;

    /// <summary>The comment after the key, or null when there is none.</summary>
    public string? Comment { get; }

    /// <summary>The file the entry came from, or null when parsed from text.</summary>
    public string? Path { get; }

    /// <summary>The 1-based line number in the file.</summary>
    public int LineNumber { get; }

    /// <summary>The key's SHA256 fingerprint in OpenSSH notation.</summary>
    public string Fingerprint => KeyFingerprint.Sha256(_blob);

    /// <summary>
    /// True when this entry applies to <paramref name="host"/> on <paramref name="port"/>
    /// (port 22 is looked up as the bare name, any other port as <c>[host]:port</c>).
    /// A matching negated pattern means the entry does not apply.
    /// </summary>
    public bool Matches(string host, int port) => MatchesName(KnownHostsFile.LookupName(host, port));

    /// <summary>True when the entry's blob equals <paramref name="blob"/> byte for byte.</summary>
    public bool HasKey(ReadOnlySpan<byte> blob) => _blob.AsSpan().SequenceEqual(blob);

    /// <inheritdoc/>
    public override string ToString()
    {
        string marker = Marker switch
        {
            KnownHostsMarker.Revoked => "@revoked ",
            KnownHostsMarker.CertificateAuthority => "@cert-authority ",
            _ => string.Empty,
        };
        string line = $"{marker}{Hosts} {KeyType} {Convert.ToBase64String(_blob)}";
        return Comment is null ? line : line + " " + Comment;
    }

    /// <summary>Matches an already formed lookup name (<c>host</c> or <c>[host]:port</c>, lower case).</summary>
    internal bool MatchesName(string lookupName)
    {
        if (_hash is null)
        {
            return HostPattern.MatchList(lookupName, Hosts) == HostPattern.ListMatch.Match;
        }

        Span<byte> actual = stackalloc byte[Sha1Length];
        ComputeHash(_salt!, lookupName, actual);
        return CryptographicOperations.FixedTimeEquals(actual, _hash);
    }

    /// <summary>HMAC-SHA1 keyed by <paramref name="salt"/> over the lookup name, as OpenSSH hashes host names.</summary>
    internal static void ComputeHash(ReadOnlySpan<byte> salt, string lookupName, Span<byte> destination)
    {
#pragma warning disable CA5350 // HMAC-SHA1 is what the known_hosts hashed-name format is defined with.
        HMACSHA1.HashData(salt, Encoding.UTF8.GetBytes(lookupName), destination);
#pragma warning restore CA5350
    }

    /// <summary>The hashed host field for <paramref name="lookupName"/> with <paramref name="salt"/>.</summary>
    internal static string FormatHashedName(ReadOnlySpan<byte> salt, string lookupName)
    {
        Span<byte> hash = stackalloc byte[Sha1Length];
        ComputeHash(salt, lookupName, hash);
        return HashPrefix + Convert.ToBase64String(salt) + "|" + Convert.ToBase64String(hash);
    }

    /// <summary>Parses one line; returns null for blank and comment lines, throws <see cref="FormatException"/> for malformed ones.</summary>
    internal static KnownHostsEntry? ParseLine(ReadOnlySpan<char> line, string? path, int lineNumber)
    {
        ReadOnlySpan<char> rest = line.Trim();
        if (rest.IsEmpty || rest[0] == '#')
        {
            return null;
        }

        KnownHostsMarker marker = KnownHostsMarker.None;
        if (rest[0] == '@')
        {
            ReadOnlySpan<char> markerToken = KeyBlob.NextToken(ref rest);
            marker = markerToken switch
            {
                "@revoked" => KnownHostsMarker.Revoked,
                "@cert-authority" => KnownHostsMarker.CertificateAuthority,
                _ => throw new FormatException($"unknown marker '{markerToken}'"),
            };
        }

        string hosts = KeyBlob.NextToken(ref rest).ToString();
        string keyType = KeyBlob.NextToken(ref rest).ToString();
        ReadOnlySpan<char> base64 = KeyBlob.NextToken(ref rest);
        string? comment = rest.IsEmpty ? null : rest.ToString();
        if (hosts.Length == 0)
        {
            throw new FormatException("missing host patterns");
        }

        if (keyType.Length > 0 && char.IsAsciiDigit(keyType[0]))
        {
            throw new FormatException("SSH protocol 1 keys are not supported");
        }

        byte[]? salt = null, hash = null;
        if (hosts.StartsWith('|'))
        {
            (salt, hash) = ParseHashedName(hosts);
        }

        string? error = KeyBlob.TryDecode(keyType, base64, out byte[] blob);
        if (error is not null)
        {
            throw new FormatException(error);
        }

        return new KnownHostsEntry(marker, hosts, salt, hash, keyType, blob, comment, path, lineNumber);
    }

    private static (byte[] Salt, byte[] Hash) ParseHashedName(string hosts)
    {
        if (!hosts.StartsWith(HashPrefix, StringComparison.Ordinal))
        {
            throw new FormatException("unsupported hashed host name format");
        }

        string[] parts = hosts[HashPrefix.Length..].Split('|');
        if (parts.Length != 2)
        {
            throw new FormatException("hashed host name must be |1|salt|hash");
        }

        byte[] salt = DecodeSha1Sized(parts[0], "salt");
        byte[] hash = DecodeSha1Sized(parts[1], "hash");
        return (salt, hash);
    }

    private static byte[] DecodeSha1Sized(string base64, string what)
    {
        Span<byte> buffer = stackalloc byte[64];
        if (!Convert.TryFromBase64String(base64, buffer, out int written) || written != Sha1Length)
        {
            throw new FormatException($"hashed host name {what} is not {Sha1Length} bytes of base64");
        }

        return buffer[..written].ToArray();
    }
}
