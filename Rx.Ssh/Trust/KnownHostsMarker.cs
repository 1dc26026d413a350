namespace Rx.Ssh;

/// <summary>The marker at the start of a known_hosts line.</summary>
public enum KnownHostsMarker
{
    /// <summary>An ordinary line: the key is a trusted host key for the matching hosts.</summary>
    None,

    /// <summary><c>@revoked</c>: the key must never be trusted for the matching hosts.</summary>
    Revoked,

    /// <summary><c>@cert-authority</c>: the key is a CA trusted to sign host certificates for the matching hosts.</summary>
    CertificateAuthority,
}
