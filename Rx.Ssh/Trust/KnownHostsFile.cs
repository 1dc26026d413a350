using System.Globalization;
using System.Net;
using Rx.Ssh.Keys;
using Rx.Ssh.Trust;

namespace Rx.Ssh;

/// <summary>
/// A parsed OpenSSH known_hosts file. Lookups follow OpenSSH: host names are compared without
/// regard to case, port 22 is looked up as the bare name and any other port as <c>[host]:port</c>,
/// hashed <c>|1|salt|hash</c> names are HMAC-SHA1 of that lookup name, a matching <c>!pattern</c>
/// excludes the host from the entry, and <c>@revoked</c> beats every other entry.
/// </summary>
public sealed partial class KnownHostsFile
{
    private KnownHostsFile(string? path, IReadOnlyList<KnownHostsEntry> entries, IReadOnlyList<TrustFileWarning> warnings)
    {
        Path = path;
        Entries = entries;
        Warnings = warnings;
    }

    /// <summary>The file this was loaded from, or null when parsed from text.</summary>
    public string? Path { get; }

    /// <summary>Every well-formed entry, in file order.</summary>
    public IReadOnlyList<KnownHostsEntry> Entries { get; }

    /// <summary>The malformed lines that were skipped.</summary>
    public IReadOnlyList<TrustFileWarning> Warnings { get; }

    /// <summary>Loads <paramref name="path"/>. A missing file (or directory) gives an empty result, not an error.</summary>
    public static KnownHostsFile Load(string path) => Parse(TrustFileText.Read(path), path);

    /// <summary>Loads <paramref name="path"/> asynchronously. A missing file gives an empty result, not an error.</summary>
    public static async ValueTask<KnownHostsFile> LoadAsync(string path, CancellationToken cancellationToken = default) =>
        Parse(await TrustFileText.ReadAsync(path, cancellationToken).ConfigureAwait(false), path);

    /// <summary>Parses known_hosts text. Malformed lines are skipped and reported in <see cref="Warnings"/>.</summary>
    /// <param name="text">The file's content.</param>
    /// <param name="path">The file name to record in entries and warnings, if any.</param>
    public static KnownHostsFile Parse(string text, string? path = null)
    {
        (List<KnownHostsEntry> entries, List<TrustFileWarning> warnings) = TrustFileText.ParseLines<KnownHostsEntry>(text, path, KnownHostsEntry.ParseLine);
        return new KnownHostsFile(path, entries, warnings);
    }

    /// <summary>
    /// The name OpenSSH looks hosts up by: the lower-cased host for port 22, <c>[host]:port</c> otherwise.
    /// </summary>
    public static string LookupName(string host, int port)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        string lower = host.ToLowerInvariant();
        return port == 22 ? lower : "[" + lower + "]:" + port.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Looks <paramref name="key"/> up for <paramref name="host"/> on <paramref name="port"/>.</summary>
    /// <param name="host">The host name as the user gave it.</param>
    /// <param name="port">The TCP port.</param>
    /// <param name="key">The key the server presented.</param>
    /// <param name="address">The address connected to; entries for it count as entries for the host.</param>
    public HostKeyCheckResult Check(string host, int port, SshPublicKey key, IPAddress? address = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Check(host, port, key.KeyType, key.Blob.Span, address);
    }

    /// <summary>Looks a key blob up for <paramref name="host"/> on <paramref name="port"/>.</summary>
    /// <param name="host">The host name as the user gave it.</param>
    /// <param name="port">The TCP port.</param>
    /// <param name="keyType">The key type, e.g. <c>ssh-ed25519</c>.</param>
    /// <param name="blob">The key's wire blob, compared byte for byte.</param>
    /// <param name="address">The address connected to; entries for it count as entries for the host.</param>
    public HostKeyCheckResult Check(string host, int port, string keyType, ReadOnlySpan<byte> blob, IPAddress? address = null)
        => Check(Entries, host, port, keyType, blob, address);

    /// <summary>The <c>@cert-authority</c> entries that apply to <paramref name="host"/> on <paramref name="port"/>.</summary>
    public IReadOnlyList<KnownHostsEntry> CertificateAuthorities(string host, int port, IPAddress? address = null)
        => Applicable(Entries, host, port, address).Where(e => e.Marker == KnownHostsMarker.CertificateAuthority).ToArray();

    /// <summary>The key types of the plain (unmarked) entries that apply to <paramref name="host"/> on <paramref name="port"/>, in file order, without repeats.</summary>
    public IReadOnlyList<string> KeyTypes(string host, int port, IPAddress? address = null)
        => Applicable(Entries, host, port, address).Where(e => e.Marker == KnownHostsMarker.None).Select(e => e.KeyType).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Evaluates <paramref name="entries"/> (possibly from several files) for one presented key.</summary>
    internal static HostKeyCheckResult Check(
        IEnumerable<KnownHostsEntry> entries, string host, int port, string keyType, ReadOnlySpan<byte> blob, IPAddress? address)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyType);
        List<KnownHostsEntry> applicable = Applicable(entries, host, port, address);

        foreach (KnownHostsEntry entry in applicable)
        {
            if (entry.Marker == KnownHostsMarker.Revoked && entry.HasKey(blob))
            {
                return new HostKeyCheckResult(HostKeyStatus.Revoked, false, [entry]);
            }
        }

        string family = KeyBlob.Family(keyType);
        var sameType = new List<KnownHostsEntry>();
        var otherTypes = new List<KnownHostsEntry>();
        foreach (KnownHostsEntry entry in applicable)
        {
            if (entry.Marker != KnownHostsMarker.None)
            {
                continue;
            }

            if (entry.HasKey(blob))
            {
                return new HostKeyCheckResult(HostKeyStatus.Trusted, false, [entry]);
            }

            (string.Equals(KeyBlob.Family(entry.KeyType), family, StringComparison.Ordinal) ? sameType : otherTypes).Add(entry);
        }

        return sameType.Count > 0
            ? new HostKeyCheckResult(HostKeyStatus.Changed, otherTypes.Count > 0, sameType)
            : new HostKeyCheckResult(HostKeyStatus.Unknown, otherTypes.Count > 0, otherTypes);
    }

    private static List<KnownHostsEntry> Applicable(IEnumerable<KnownHostsEntry> entries, string host, int port, IPAddress? address)
    {
        string hostName = LookupName(host, port);
        string? addressName = address is null ? null : LookupName(AddressText(address), port);
        if (addressName == hostName)
        {
            addressName = null;
        }

        var result = new List<KnownHostsEntry>();
        foreach (KnownHostsEntry entry in entries)
        {
            if (entry.MatchesName(hostName) || (addressName is not null && entry.MatchesName(addressName)))
            {
                result.Add(entry);
            }
        }

        return result;
    }

    /// <summary>The address as OpenSSH writes it: IPv4-mapped addresses as IPv4, no IPv6 scope.</summary>
    internal static string AddressText(IPAddress address) => SourcePattern.AddressText(address);
}
