namespace Rx.Ssh.Sftp;

/// <summary>
/// The status codes of an SFTP <c>SSH_FXP_STATUS</c> reply (draft-ietf-secsh-filexfer-02 section 7).
/// Values past <see cref="OperationUnsupported"/> are kept as received.
/// </summary>
public enum SftpStatusCode : uint
{
    /// <summary><c>SSH_FX_OK</c>: the operation succeeded.</summary>
    Ok = 0,

    /// <summary><c>SSH_FX_EOF</c>: end of file, or no more directory entries.</summary>
    Eof = 1,

    /// <summary><c>SSH_FX_NO_SUCH_FILE</c>: the path does not exist.</summary>
    NoSuchFile = 2,

    /// <summary><c>SSH_FX_PERMISSION_DENIED</c>: the server's user may not do this.</summary>
    PermissionDenied = 3,

    /// <summary><c>SSH_FX_FAILURE</c>: any other error (OpenSSH's answer to most failures).</summary>
    Failure = 4,

    /// <summary><c>SSH_FX_BAD_MESSAGE</c>: a malformed packet.</summary>
    BadMessage = 5,

    /// <summary><c>SSH_FX_NO_CONNECTION</c>: a client-side status, no connection to the server.</summary>
    NoConnection = 6,

    /// <summary><c>SSH_FX_CONNECTION_LOST</c>: a client-side status, the connection was lost.</summary>
    ConnectionLost = 7,

    /// <summary><c>SSH_FX_OP_UNSUPPORTED</c>: the server does not implement the request.</summary>
    OperationUnsupported = 8,
}
