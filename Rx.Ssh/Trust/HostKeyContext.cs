using System.Net;
using Rx.Ssh.Keys;

namespace Rx.Ssh;

/// <summary>The host key a server presented, with where it was presented: what a verifier decides on.</summary>
public sealed class HostKeyContext
{
    private readonly byte[] _blob;

    /// <summary>Creates a context for a parsed key.</summary>
    public HostKeyContext(string host, int port, SshPublicKey key, IPAddress? address = null)
        : this(host, port, (key ?? throw new ArgumentNullException(nameof(key))).KeyType, key.Blob.Span, address)
    {
        Key = key;
    }

    /// <summary>Creates a context for a key given as type and wire blob.</summary>
    public HostKeyContext(string host, int port, string keyType, ReadOnlySpan<byte> blob, IPAddress? address = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentException.ThrowIfNullOrEmpty(keyType);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        Host = host;
        Port = port;
        KeyType = keyType;
        _blob = blob.ToArray();
        Address = address;
        Fingerprint = KeyFingerprint.Sha256(_blob);
    }

    /// <summary>The host name as the client was asked to connect to it.</summary>
    public string Host { get; }

    /// <summary>The TCP port.</summary>
    public int Port { get; }

    /// <summary>The address actually connected to, when known.</summary>
    public IPAddress? Address { get; }

    /// <summary>The key type, e.g. <c>ssh-ed25519</c>.</summary>
    public string KeyType { get; }

    /// <summary>The key's wire blob.</summary>
    public ReadOnlyMemory<byte> Blob => _blob;

    /// <summary>The parsed key, when the caller had one.</summary>
    public SshPublicKey? Key { get; }

    /// <summary>
    /// The host certificate the server presented, when it presented one; <see cref="Key"/>, <see cref="KeyType"/>
    /// and <see cref="Blob"/> are then the certified plain key, so verifiers that know nothing of
    /// certificates check that key (as OpenSSH falls back to it when no <c>@cert-authority</c> applies).
    /// </summary>
    public SshCertificate? Certificate { get; init; }

    /// <summary>A context for the key a server presented: a certificate is split into <see cref="Certificate"/> and its plain <see cref="Key"/>.</summary>
    internal static HostKeyContext ForPresentedKey(string host, int port, SshPublicKey key, IPAddress? address) =>
        key is SshCertificate certificate
            ? new HostKeyContext(host, port, certificate.Key, address) { Certificate = certificate }
            : new HostKeyContext(host, port, key, address);

    /// <summary>The key's SHA256 fingerprint in OpenSSH notation (<c>SHA256:...</c>).</summary>
    public string Fingerprint { get; }

    /// <summary>An exception reporting this key as not trusted for <paramref name="failure"/>.</summary>
    /// <param name="failure">Why the key is not trusted.</param>
    /// <param name="knownFingerprints">The fingerprints of the keys known for the host, if any.</param>
    public SshHostKeyNotTrustedException NotTrusted(HostKeyTrustFailure failure, IReadOnlyList<string>? knownFingerprints = null)
        => new(Host, Port, KeyType, Fingerprint, failure) { KnownFingerprints = knownFingerprints ?? [] };

    /// <inheritdoc/>
    public override string ToString() => $"{KnownHostsFile.LookupName(Host, Port)} {KeyType} {Fingerprint}";
}
