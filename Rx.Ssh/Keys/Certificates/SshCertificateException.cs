namespace Rx.Ssh;

/// <summary>
/// A well-formed certificate was refused: expired, for another principal, signed by an untrusted CA,
/// revoked... <see cref="Problem"/> says which; the message says what to change. (A malformed or
/// truncated certificate is an <see cref="SshKeyFormatException"/>.)
/// </summary>
public sealed class SshCertificateException : SshException
{
    /// <summary>Creates the exception.</summary>
    public SshCertificateException(SshCertificateProblem problem, string message)
        : base(message)
    {
        Problem = problem;
    }

    /// <summary>Creates the exception with a default problem.</summary>
    public SshCertificateException(string message)
        : this(SshCertificateProblem.BadSignature, message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public SshCertificateException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Problem = SshCertificateProblem.BadSignature;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public SshCertificateException()
        : this(SshCertificateProblem.BadSignature, "the certificate was refused")
    {
    }

    /// <summary>Why the certificate was refused.</summary>
    public SshCertificateProblem Problem { get; }
}
