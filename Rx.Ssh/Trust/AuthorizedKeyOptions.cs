using System.Net;
using Rx.Ssh.Keys;

namespace Rx.Ssh;

/// <summary>
/// The options in front of an authorized_keys key (sshd(8) "AUTHORIZED_KEYS FILE FORMAT").
/// Permissions are stated positively: <c>no-pty</c> gives <see cref="PermitPty"/> false,
/// <c>restrict</c> turns every permission off and later flags such as <c>pty</c> turn single ones back on.
/// </summary>
public sealed class AuthorizedKeyOptions
{
    /// <summary>No options: everything permitted, no restrictions.</summary>
    public static AuthorizedKeyOptions None { get; } = new();

    /// <summary><c>command="..."</c>: the command forced instead of the one the client asks for.</summary>
    public string? Command { get; internal set; }

    /// <summary><c>environment="NAME=value"</c> settings in file order (the first setting of a name wins, as in OpenSSH).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; internal set; } = [];

    /// <summary><c>from="..."</c>: the raw pattern list clients must match; see <see cref="MatchesSource"/>.</summary>
    public string? From { get; internal set; }

    /// <summary><c>permitopen="host:port"</c> entries: when any are present, local forwarding is limited to them.</summary>
    public IReadOnlyList<ForwardPermission> PermitOpen { get; internal set; } = [];

    /// <summary><c>permitlisten="[host:]port"</c> entries: when any are present, remote forwarding is limited to them.</summary>
    public IReadOnlyList<ForwardPermission> PermitListen { get; internal set; } = [];

    /// <summary><c>principals="a,b"</c>: for <c>cert-authority</c> lines, the principals a certificate must carry.</summary>
    public IReadOnlyList<string>? Principals { get; internal set; }

    /// <summary><c>expiry-time="YYYYMMDD[HHMM[SS]][Z]"</c>: the key is refused after this instant (earliest wins when repeated).</summary>
    public DateTimeOffset? ExpiryTime { get; internal set; }

    /// <summary><c>tunnel="n"</c>: the tun device the client must use.</summary>
    public int? Tunnel { get; internal set; }

    /// <summary><c>cert-authority</c>: the key is a CA for user certificates, not a user key.</summary>
    public bool CertificateAuthority { get; internal set; }

    /// <summary>True when <c>restrict</c> appeared.</summary>
    public bool Restrict { get; internal set; }

    /// <summary>False after <c>no-pty</c> or <c>restrict</c> (unless <c>pty</c> follows).</summary>
    public bool PermitPty { get; internal set; } = true;

    /// <summary>False after <c>no-port-forwarding</c> or <c>restrict</c> (unless <c>port-forwarding</c> follows).</summary>
    public bool PermitPortForwarding { get; internal set; } = true;

    /// <summary>False after <c>no-agent-forwarding</c> or <c>restrict</c> (unless <c>agent-forwarding</c> follows).</summary>
    public bool PermitAgentForwarding { get; internal set; } = true;

    /// <summary>False after <c>no-X11-forwarding</c> or <c>restrict</c> (unless <c>X11-forwarding</c> follows).</summary>
    public bool PermitX11Forwarding { get; internal set; } = true;

    /// <summary>False after <c>no-user-rc</c> or <c>restrict</c> (unless <c>user-rc</c> follows).</summary>
    public bool PermitUserRc { get; internal set; } = true;

    /// <summary><c>no-touch-required</c>: FIDO keys may sign without user presence.</summary>
    public bool NoTouchRequired { get; internal set; }

    /// <summary><c>verify-required</c>: FIDO signatures must attest user verification (e.g. a PIN).</summary>
    public bool VerifyRequired { get; internal set; }

    /// <summary>True when the key has expired at <paramref name="now"/> (strictly after <see cref="ExpiryTime"/>).</summary>
    public bool IsExpired(DateTimeOffset now) => ExpiryTime is { } expiry && now > expiry;

    /// <summary>
    /// True when there is no <c>from=</c> option or the client matches it, with OpenSSH's rules: host
    /// name wildcards, addresses, address wildcards and CIDR blocks, where any matching <c>!</c> item
    /// rejects. Without a resolved <paramref name="hostName"/>, host patterns are matched against the
    /// address text (as sshd does with <c>UseDNS no</c>). A malformed CIDR item rejects every client.
    /// </summary>
    public bool MatchesSource(string? hostName, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return From is null || SourcePattern.Matches(From, hostName, address);
    }
}
