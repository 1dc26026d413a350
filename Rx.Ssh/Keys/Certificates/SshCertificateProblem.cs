namespace Rx.Ssh;

/// <summary>Why a certificate was refused (<see cref="SshCertificateException.Problem"/>).</summary>
public enum SshCertificateProblem
{
    /// <summary>The CA's signature over the certificate does not verify, or uses a refused algorithm.</summary>
    BadSignature,

    /// <summary>The certificate is a host certificate where a user certificate is needed, or the reverse.</summary>
    WrongType,

    /// <summary>The validity window has not started yet.</summary>
    NotYetValid,

    /// <summary>The validity window has ended.</summary>
    Expired,

    /// <summary>None of the certificate's principals is the one asked for.</summary>
    WrongPrincipal,

    /// <summary>The key that signed the certificate is not a trusted certificate authority.</summary>
    UntrustedAuthority,

    /// <summary>The certificate, its key or its CA is marked revoked.</summary>
    Revoked,

    /// <summary>The connection's source address is not in the certificate's <c>source-address</c> list.</summary>
    SourceAddress,

    /// <summary>A critical option the verifier does not support (such as <c>verify-required</c>, which needs FIDO keys).</summary>
    UnsupportedOption,
}
