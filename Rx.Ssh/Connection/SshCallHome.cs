namespace Rx.Ssh;

/// <summary>
/// Constants of the reverse direction ("call home", RFC 8071): the SSH server opens the TCP
/// connection to the SSH client, then each side plays its usual SSH role on it. See
/// <see cref="SshServer.ConnectReverse"/> (the dialling server) and
/// <see cref="SshClient.ListenReverse(SshClientOptions, SshReverseListenOptions?)"/> (the listening client).
/// </summary>
public static class SshCallHome
{
    /// <summary>
    /// The TCP port IANA assigned to NETCONF call home over SSH (<c>netconf-ch-ssh</c>, RFC 8071
    /// section 6): where a NETCONF client listens for the devices that call it. 4334.
    /// </summary>
    public const int NetconfPort = 4334;
}
