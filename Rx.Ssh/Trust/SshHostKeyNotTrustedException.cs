namespace Rx.Ssh;

/// <summary>Why a host key was not trusted.</summary>
public enum HostKeyTrustFailure
{
    /// <summary>No trusted key is known for the host.</summary>
    Unknown,

    /// <summary>A different key is known for the host: possibly a man-in-the-middle attack.</summary>
    Changed,

    /// <summary>The key is marked <c>@revoked</c>.</summary>
    Revoked,

    /// <summary>An application callback rejected the key.</summary>
    Rejected,

    /// <summary>
    /// The server presented a host certificate from a trusted <c>@cert-authority</c> that is not valid
    /// for this host (expired, not yet valid, wrong principal, wrong type, bad signature); the inner
    /// <see cref="SshCertificateException"/> says which.
    /// </summary>
    InvalidCertificate,
}

/// <summary>The server's host key is not trusted; the connection was closed before authentication.</summary>
public sealed class SshHostKeyNotTrustedException : SshConnectionException
{
    /// <summary>Creates the exception.</summary>
    public SshHostKeyNotTrustedException(string host, int port, string keyType, string fingerprint, HostKeyTrustFailure failure)
        : base(DisconnectReason.HostKeyNotVerifiable, Describe(host, port, keyType, fingerprint, failure))
    {
        Host = host;
        Port = port;
        KeyType = keyType;
        Fingerprint = fingerprint;
        Failure = failure;
    }

    /// <summary>Creates the exception for a refused host certificate, with the certificate check's reason.</summary>
    internal SshHostKeyNotTrustedException(string host, int port, string keyType, string fingerprint, SshCertificateException problem)
        : base(DisconnectReason.HostKeyNotVerifiable, $"Host certificate for {(port == 22 ? host : $"[{host}]:{port}")} is not valid ({keyType} {fingerprint}): {problem.Message}", true, problem)
    {
        Host = host;
        Port = port;
        KeyType = keyType;
        Fingerprint = fingerprint;
        Failure = HostKeyTrustFailure.InvalidCertificate;
    }

    /// <summary>The host name as the client used it.</summary>
    public string Host { get; }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>The host key's type, e.g. <c>ssh-ed25519</c>.</summary>
    public string KeyType { get; }

    /// <summary>The key's SHA256 fingerprint in OpenSSH notation (<c>SHA256:...</c>).</summary>
    public string Fingerprint { get; }

    /// <summary>Why the key was not trusted.</summary>
    public HostKeyTrustFailure Failure { get; }

    /// <summary>
    /// For <see cref="HostKeyTrustFailure.Changed"/>: the SHA256 fingerprints of the keys that were expected
    /// (for <see cref="HostKeyTrustFailure.Unknown"/>: of keys of other types known for the host). Empty otherwise.
    /// </summary>
    public IReadOnlyList<string> KnownFingerprints { get; init; } = [];

    private static string Describe(string host, int port, string keyType, string fingerprint, HostKeyTrustFailure failure)
    {
        string where = port == 22 ? host : $"[{host}]:{port}";
        return failure switch
        {
            HostKeyTrustFailure.Changed => $"Host key for {where} has CHANGED ({keyType} {fingerprint}); it does not match known_hosts.",
            HostKeyTrustFailure.Revoked => $"Host key for {where} is REVOKED ({keyType} {fingerprint}).",
            HostKeyTrustFailure.Rejected => $"Host key for {where} was rejected by the application ({keyType} {fingerprint}).",
            _ => $"Host key for {where} is not known ({keyType} {fingerprint}); add it to known_hosts or verify it another way.",
        };
    }
}
