namespace Rx.Ssh;

/// <summary>Whom an OpenSSH certificate is for (PROTOCOL.certkeys <c>type</c> field).</summary>
public enum SshCertificateType
{
    /// <summary>A user certificate (<c>SSH_CERT_TYPE_USER</c>, 1): authenticates a client.</summary>
    User = 1,

    /// <summary>A host certificate (<c>SSH_CERT_TYPE_HOST</c>, 2): authenticates a server.</summary>
    Host = 2,
}
