using System.Globalization;

namespace Rx.Ssh;

/// <summary>What went wrong on a jump host (<see cref="SshProxyJumpException.Failure"/>).</summary>
public enum SshProxyJumpFailure
{
    /// <summary>Connecting or logging in to the jump host failed (TCP, host key, authentication, timeout); the inner exception is that hop's own error.</summary>
    Connect,

    /// <summary>
    /// The jump host refused or failed to open the <c>direct-tcpip</c> channel to the next hop or the
    /// target: forwarding forbidden (<see cref="ChannelOpenFailureReason.AdministrativelyProhibited"/>,
    /// e.g. sshd's <c>AllowTcpForwarding no</c>) or the next host unreachable from it
    /// (<see cref="ChannelOpenFailureReason.ConnectFailed"/>); the inner exception is the <see cref="SshChannelOpenException"/>.
    /// </summary>
    OpenChannel,

    /// <summary>The jump host's connection ended after it was set up, which ends every connection through it; the inner exception is why it ended.</summary>
    ConnectionLost,
}

/// <summary>
/// A connection through jump hosts (<see cref="SshClientOptions.ProxyJump"/>) failed at one of
/// them: <see cref="JumpHost"/>, <see cref="JumpPort"/> and <see cref="HopIndex"/> name the hop,
/// <see cref="Failure"/> says what went wrong there and the inner exception is the hop's own error
/// (an <see cref="SshPermissionDeniedException"/>, <see cref="SshHostKeyNotTrustedException"/>,
/// <see cref="SshChannelOpenException"/>, ...). Raised by connecting, and as the connection's
/// <see cref="SshConnection.Completion"/> error (and the error of its channels) when a hop dies later.
/// </summary>
public sealed class SshProxyJumpException : SshConnectionException
{
    /// <summary>Creates the exception for the hop at <paramref name="hopIndex"/>.</summary>
    /// <param name="failure">What went wrong.</param>
    /// <param name="jumpHost">The hop's host, as given.</param>
    /// <param name="jumpPort">The hop's port.</param>
    /// <param name="hopIndex">The hop's position in <see cref="SshClientOptions.ProxyJump"/>, from 0.</param>
    /// <param name="destinationHost">For <see cref="SshProxyJumpFailure.OpenChannel"/>: where the channel was to go; otherwise null.</param>
    /// <param name="destinationPort">For <see cref="SshProxyJumpFailure.OpenChannel"/>: that port; otherwise 0.</param>
    /// <param name="innerException">The hop's own error.</param>
    public SshProxyJumpException(SshProxyJumpFailure failure, string jumpHost, int jumpPort, int hopIndex, string? destinationHost, int destinationPort, Exception? innerException)
        : base(
            (innerException as SshConnectionException)?.Reason is { } reason && reason != DisconnectReason.None && failure == SshProxyJumpFailure.Connect ? reason : DisconnectReason.ConnectionLost,
            Describe(failure, jumpHost, jumpPort, hopIndex, destinationHost, destinationPort, innerException),
            failure != SshProxyJumpFailure.ConnectionLost,
            innerException)
    {
        ArgumentNullException.ThrowIfNull(jumpHost);
        Failure = failure;
        JumpHost = jumpHost;
        JumpPort = jumpPort;
        HopIndex = hopIndex;
        DestinationHost = destinationHost;
        DestinationPort = destinationPort;
    }

    /// <summary>What went wrong at the hop.</summary>
    public SshProxyJumpFailure Failure { get; }

    /// <summary>The jump host at fault, as given in <see cref="SshProxyJump.Host"/>.</summary>
    public string JumpHost { get; }

    /// <summary>Its port.</summary>
    public int JumpPort { get; }

    /// <summary>Its position in <see cref="SshClientOptions.ProxyJump"/>, from 0 (the first hop reached).</summary>
    public int HopIndex { get; }

    /// <summary>For <see cref="SshProxyJumpFailure.OpenChannel"/>, the host the jump host was asked to reach (the next hop or the target); otherwise null.</summary>
    public string? DestinationHost { get; }

    /// <summary>For <see cref="SshProxyJumpFailure.OpenChannel"/>, that port; otherwise 0.</summary>
    public int DestinationPort { get; }

    private static string Describe(SshProxyJumpFailure failure, string jumpHost, int jumpPort, int hopIndex, string? destinationHost, int destinationPort, Exception? inner)
    {
        string hop = string.Create(CultureInfo.InvariantCulture, $"Jump host {jumpHost}:{jumpPort} (hop {hopIndex + 1})");
        string why = inner?.Message ?? "unknown error";
        return failure switch
        {
            SshProxyJumpFailure.Connect => $"{hop}: connecting failed: {why}",
            SshProxyJumpFailure.OpenChannel => string.Create(CultureInfo.InvariantCulture, $"{hop} did not open a connection to {destinationHost}:{destinationPort}: {why}"),
            _ => $"{hop}: the connection ended: {why}",
        };
    }
}
