using System.Net;

namespace Rx.Ssh;

/// <summary>
/// Where and how <see cref="SshClient.ListenReverse(SshClientOptions, SshReverseListenOptions?)"/>
/// listens for SSH servers that call home (RFC 8071). How each connection then authenticates is
/// the <see cref="SshClientOptions"/> given beside these. Immutable; use <c>with</c> to vary.
/// </summary>
public sealed record SshReverseListenOptions
{
    private readonly int _port = SshCallHome.NetconfPort;
    private readonly int _maxPendingConnections = 64;

    /// <summary>Address to bind. Default <see cref="IPAddress.Loopback"/>: exposing a listener is an explicit choice (<see cref="IPAddress.IPv6Any"/> is every interface, IPv4 included).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>Port to bind; 0 picks a free one (read it from <see cref="SshReverseListener.Port"/>). Default <see cref="SshCallHome.NetconfPort"/> (4334).</summary>
    public int Port
    {
        get => _port;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(Port));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 65535, nameof(Port));
            _port = value;
        }
    }

    /// <summary>
    /// The host name a calling server is checked under: what <see cref="SshClientOptions.HostKeyVerifier"/>
    /// sees as <see cref="HostKeyContext.Host"/>, so the name a known_hosts file lists its key for
    /// (e.g. a device name looked up from its address). Default null: the peer's IP address as text
    /// (IPv4 for an IPv4-mapped address, e.g. <c>192.0.2.7</c>). The port the verifier sees is always 22,
    /// so a known_hosts line names the host alone, without <c>[host]:port</c> (the peer's own port is a
    /// random one; the address is in <see cref="HostKeyContext.Address"/>). A callback that throws
    /// refuses the peer (reported to <see cref="PeerFailed"/>).
    /// </summary>
    public Func<IPEndPoint, string>? HostName { get; init; }

    /// <summary>
    /// Connections allowed to be connecting at once (accepted, not yet authenticated); more are closed
    /// at accept and reported to <see cref="PeerFailed"/>. Each one is bounded in time by
    /// <see cref="SshClientOptions.LoginTimeout"/>. Default 64.
    /// </summary>
    public int MaxPendingConnections
    {
        get => _maxPendingConnections;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(MaxPendingConnections));
            _maxPendingConnections = value;
        }
    }

    /// <summary>
    /// Called once for each accepted peer that did not become a connection: its host key not trusted
    /// (<see cref="SshHostKeyNotTrustedException"/>), our keys refused (<see cref="SshPermissionDeniedException"/>),
    /// the login timing out (<see cref="SshConnectionException"/> with an inner <see cref="TimeoutException"/>,
    /// e.g. a peer that connects and says nothing), too many pending, a protocol error. On the task that
    /// served the peer; what it throws is logged and ignored. Not called for attempts cut short by the
    /// listener's disposal. Such failures are logged either way (<see cref="SshConnectionOptions.Logger"/>);
    /// the listener carries on. Default null.
    /// </summary>
    public Action<SshReversePeerFailure>? PeerFailed { get; init; }
}
