namespace Rx.Ssh.Agent;

/// <summary>
/// Message numbers and flags of the ssh-agent protocol (draft-ietf-sshm-ssh-agent, OpenSSH's
/// PROTOCOL.agent). A message on the socket is <c>uint32 length, byte type, contents</c>.
/// </summary>
internal static class AgentProtocol
{
    /// <summary>The largest reply accepted: OpenSSH's agent caps its messages at 256 KiB too.</summary>
    public const int MaxReplyLength = 256 * 1024;

    public const byte Failure = 5;
    public const byte Success = 6;
    public const byte RequestIdentities = 11;
    public const byte IdentitiesAnswer = 12;
    public const byte SignRequest = 13;
    public const byte SignResponse = 14;
    public const byte AddIdentity = 17;
    public const byte RemoveIdentity = 18;
    public const byte RemoveAllIdentities = 19;
    public const byte Lock = 22;
    public const byte Unlock = 23;
    public const byte AddIdentityConstrained = 25;

    /// <summary>Failure codes some agents send besides <see cref="Failure"/> (ssh.com's, and the old SSH2 one); OpenSSH treats them as failure too.</summary>
    public const byte Ssh2Failure = 30;
    public const byte SshComFailure = 102;

    public const byte ConstrainLifetime = 1;
    public const byte ConstrainConfirm = 2;

    /// <summary>Sign request flags: an RSA key signs with SHA-256 / SHA-512 instead of SHA-1.</summary>
    public const uint RsaSha2_256 = 0x02;
    public const uint RsaSha2_512 = 0x04;

    public static bool IsFailure(byte type) => type is Failure or Ssh2Failure or SshComFailure;

    /// <summary>The sign request flags for a plain signature algorithm.</summary>
    public static uint SignFlags(string algorithm) => algorithm switch
    {
        "rsa-sha2-256" => RsaSha2_256,
        "rsa-sha2-512" => RsaSha2_512,
        _ => 0,
    };
}
