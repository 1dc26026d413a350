using Rx.Ssh.Trust;

namespace Rx.Ssh;

/// <summary>
/// Trusts host keys listed in OpenSSH known_hosts files, the way <c>ssh</c> does with
/// <c>StrictHostKeyChecking yes</c>: a trusted key passes, an unknown, changed or revoked key throws
/// <see cref="SshHostKeyNotTrustedException"/>. The files are read on every verification, so edits
/// take effect at the next connection; missing files count as empty.
/// </summary>
public sealed class KnownHostsVerifier : IHostKeyVerifier
{
    private static readonly SemaphoreSlim AppendLock = new(1, 1);
    private readonly bool _defaultFiles;

    /// <summary>Uses <see cref="DefaultPaths"/>: <c>~/.ssh/known_hosts</c> then <c>/etc/ssh/ssh_known_hosts</c>.</summary>
    public KnownHostsVerifier()
        : this(DefaultPaths)
    {
        _defaultFiles = true;
    }

    /// <summary>
    /// Uses the given files. The first one is the user's file: the one keys are added to when
    /// <see cref="AddOnFirstUse"/> or <see cref="ConfirmUnknownKey"/> accepts a new key.
    /// </summary>
    public KnownHostsVerifier(params IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        Paths = paths.ToArray();
        if (Paths.Count == 0 || Paths.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("At least one known_hosts path is needed, and none may be empty.", nameof(paths));
        }
    }

    /// <summary>OpenSSH's default files: the user's <c>~/.ssh/known_hosts</c> and the system-wide <c>/etc/ssh/ssh_known_hosts</c>.</summary>
    public static IReadOnlyList<string> DefaultPaths { get; } =
    [
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ssh", "known_hosts"),
        "/etc/ssh/ssh_known_hosts",
    ];

    /// <summary>The files consulted, in order; the first is where new keys are written.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>
    /// Trust on first use (OpenSSH's <c>StrictHostKeyChecking accept-new</c>): a host with no known key
    /// at all has its key added to the user's file and trusted. A host that already has keys of other
    /// types is not added automatically. Changed and revoked keys are refused as always.
    /// Off by default: it trusts whoever answers the first connection.
    /// </summary>
    public bool AddOnFirstUse { get; init; }

    /// <summary>Whether keys added to the user's file are written with hashed host names (<c>HashKnownHosts</c>).</summary>
    public bool HashAddedHosts { get; init; }

    /// <summary>
    /// Asked about keys that are unknown (not changed or revoked) and not added by <see cref="AddOnFirstUse"/>,
    /// like OpenSSH's interactive prompt. Returning true trusts the key and adds it to the user's file.
    /// </summary>
    public Func<HostKeyContext, HostKeyCheckResult, CancellationToken, ValueTask<bool>>? ConfirmUnknownKey { get; init; }

    /// <summary>
    /// Also consult entries for the address connected to (OpenSSH's <c>CheckHostIP</c>). Off by
    /// default, as in OpenSSH since 8.5: a key recorded for an address then vouches for any name
    /// that resolves to it.
    /// </summary>
    public bool CheckHostIp { get; init; }

    /// <summary>
    /// Made with the parameterless constructor and nothing else set: the library's default verifier,
    /// which the OpenSSH client configuration (UserKnownHostsFile, StrictHostKeyChecking, ...) may replace.
    /// </summary>
    internal bool IsDefault =>
        _defaultFiles && !AddOnFirstUse && !HashAddedHosts && ConfirmUnknownKey is null && !CheckHostIp && TimeProvider == TimeProvider.System;

    /// <summary>The clock host certificates' validity windows are checked against; the system clock by default.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Whether any file has an <c>@cert-authority</c> line for the host (then the client asks for host certificates).</summary>
    public bool HasCertificateAuthorities(string host, int port, System.Net.IPAddress? address = null) =>
        Paths.Any(path => Trust.KnownHostsFileCache.Load(path).CertificateAuthorities(host, port, CheckHostIp ? address : null).Count > 0);

    /// <summary>True when any file has an <c>@cert-authority</c> line for the host (<see cref="HasCertificateAuthorities"/>).</summary>
    public bool WantsHostCertificates(string host, int port, System.Net.IPAddress? address) => HasCertificateAuthorities(host, port, address);

    /// <summary>
    /// The key types any file lists for the host (plain entries, in file order). The client offers
    /// the host key algorithms of these types first, as OpenSSH does, so that a server with several
    /// host keys proves the one known here rather than one that would be refused as unknown.
    /// </summary>
    public IReadOnlyList<string> KnownKeyTypes(string host, int port, System.Net.IPAddress? address = null) =>
        [.. Paths.SelectMany(path => Trust.KnownHostsFileCache.Load(path).KeyTypes(host, port, CheckHostIp ? address : null)).Distinct(StringComparer.Ordinal)];

    /// <summary>Looks the key up in every file without deciding anything.</summary>
    public async ValueTask<HostKeyCheckResult> CheckAsync(HostKeyContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var entries = new List<KnownHostsEntry>();
        foreach (string path in Paths)
        {
            KnownHostsFile file = await Trust.KnownHostsFileCache.LoadAsync(path, cancellationToken).ConfigureAwait(false);
            entries.AddRange(file.Entries);
        }

        return KnownHostsFile.Check(entries, context.Host, context.Port, context.KeyType, context.Blob.Span, CheckHostIp ? context.Address : null);
    }

    /// <inheritdoc/>
    public async ValueTask VerifyAsync(HostKeyContext context, CancellationToken cancellationToken = default)
    {
        if (context.Certificate is not null
            && await HostCertificateCheck.VerifyAsync(this, context, TimeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        HostKeyCheckResult result = await CheckAsync(context, cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case HostKeyStatus.Trusted:
                return;
            case HostKeyStatus.Revoked:
                throw context.NotTrusted(HostKeyTrustFailure.Revoked);
            case HostKeyStatus.Changed:
                throw context.NotTrusted(HostKeyTrustFailure.Changed, result.KnownFingerprints);
        }

        bool accept = (AddOnFirstUse && !result.OtherTypesKnown)
            || (ConfirmUnknownKey is not null && await ConfirmUnknownKey(context, result, cancellationToken).ConfigureAwait(false));
        if (!accept)
        {
            throw context.NotTrusted(HostKeyTrustFailure.Unknown, result.KnownFingerprints);
        }

        await AppendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await KnownHostsFile.AppendAsync(
                Paths[0], context.Host, context.Port, context.KeyType, context.Blob, HashAddedHosts, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            AppendLock.Release();
        }
    }
}
