namespace Rx.Ssh;

/// <summary>The outcome of looking a host key up in known_hosts entries.</summary>
public sealed class HostKeyCheckResult
{
    internal HostKeyCheckResult(HostKeyStatus status, bool otherTypesKnown, IReadOnlyList<KnownHostsEntry> entries)
    {
        Status = status;
        OtherTypesKnown = otherTypesKnown;
        Entries = entries;
    }

    /// <summary>The verdict.</summary>
    public HostKeyStatus Status { get; }

    /// <summary>
    /// True when the host has ordinary entries only for other key types. OpenSSH still treats the
    /// key as unknown, but reports the other keys because a new key type for a known host is unusual.
    /// </summary>
    public bool OtherTypesKnown { get; }

    /// <summary>
    /// The entries behind the verdict: the matching entry for <see cref="HostKeyStatus.Trusted"/> and
    /// <see cref="HostKeyStatus.Revoked"/>, the known keys of the same type for
    /// <see cref="HostKeyStatus.Changed"/>, the keys of other types for <see cref="HostKeyStatus.Unknown"/>.
    /// </summary>
    public IReadOnlyList<KnownHostsEntry> Entries { get; }

    /// <summary>The SHA256 fingerprints of <see cref="Entries"/> (for a changed key: the keys that were expected).</summary>
    public IReadOnlyList<string> KnownFingerprints => Entries.Select(e => e.Fingerprint).Distinct(StringComparer.Ordinal).ToArray();

    /// <inheritdoc/>
    public override string ToString() => OtherTypesKnown ? $"{Status} (other key types known)" : Status.ToString();
}
