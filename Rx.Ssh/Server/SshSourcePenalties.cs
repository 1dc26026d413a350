using System.Net;

namespace Rx.Ssh;

/// <summary>
/// Penalties per source address for connections that end badly before authenticating (the idea
/// of OpenSSH 9.8's <c>PerSourcePenalties</c>): each such end adds time to its source's penalty;
/// once a source's penalty reaches <see cref="Minimum"/>, new connections from it are closed at
/// accept until the penalty runs out. A source that keeps failing is kept out for longer, up to
/// <see cref="Maximum"/>; one that logs in is never penalized. On by default
/// (<see cref="SshServerOptions.SourcePenalties"/>); loopback sources are exempt by default, so
/// local tools and tests are not locked out. The clock is <see cref="SshConnectionOptions.Scheduler"/>.
/// Every refusal is logged (warning) with the time left.
/// </summary>
public sealed record SshSourcePenalties
{
    /// <summary>The defaults: 5 s per failed authentication, 1 s per connection that did not authenticate, 10 s when the login or handshake time ran out; refused from 15 s, at most 10 min.</summary>
    public static SshSourcePenalties Default { get; } = new();

    /// <summary>No penalties.</summary>
    public static SshSourcePenalties Off { get; } = new() { Enabled = false };

    /// <summary>Whether penalties are kept at all. Default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Added when a connection ends after at least one failed authentication attempt, without success. Default 5 s.</summary>
    public TimeSpan AuthenticationFailure { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Added when a connection ends before authenticating with no failed attempt (it disconnected, broke the protocol, or never spoke SSH). Default 1 s.</summary>
    public TimeSpan NoAuthentication { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Added when <see cref="SshServerOptions.LoginGraceTime"/> or <see cref="SshServerOptions.HandshakeTimeout"/> ran out. Default 10 s.</summary>
    public TimeSpan GraceExceeded { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A source is refused only once its penalty reaches this much (so one mistyped password costs nothing). Default 15 s.</summary>
    public TimeSpan Minimum { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The most penalty a source can have. Default 10 minutes.</summary>
    public TimeSpan Maximum { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Sources remembered at most (memory stays bounded under a flood from many addresses); past it, new sources go unpenalized and a warning is logged. Default 65,536.</summary>
    public int MaxSources { get; init; } = 65536;

    /// <summary>Loopback addresses (127.0.0.0/8, ::1) are never penalized. Default true.</summary>
    public bool ExemptLoopback { get; init; } = true;

    /// <summary>Networks never penalized (OpenSSH's <c>PerSourcePenaltyExemptList</c>). Default none.</summary>
    public IReadOnlyList<IPNetwork> Exempt { get; init; } = [];
}
