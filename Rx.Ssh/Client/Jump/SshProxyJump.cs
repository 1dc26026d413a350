using System.Globalization;

namespace Rx.Ssh;

/// <summary>
/// One jump host of <see cref="SshClientOptions.ProxyJump"/> (OpenSSH's <c>ProxyJump</c>, <c>ssh -J</c>):
/// a server the client logs in to on the way, then asks to open a <c>direct-tcpip</c> channel to
/// the next hop (or the target). Each hop is an SSH connection of its own: its host key is checked
/// under <see cref="Host"/>:<see cref="Port"/>, with its own <see cref="Options"/> when given.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Options"/> null (what <see cref="Parse"/> makes) means "as the target": the target's
/// <see cref="SshClientOptions"/> are used for the hop (keys, signers, key files, password,
/// keyboard-interactive, host key verifier, algorithms, timeouts, keepalive, logger, scheduler),
/// without its <see cref="SshClientOptions.ProxyJump"/>, <see cref="SshClientOptions.ProxyCommand"/>,
/// <see cref="SshClientOptions.ConnectionEvents"/> and handlers for incoming requests and channels,
/// and with the local user as login name: as with ssh, a hop's user is its own (<c>user@</c>
/// here, or <see cref="UserName"/>), never the target's.
/// </para>
/// <para>
/// From code: <c>ProxyJump = [new SshProxyJump("bastion", 22, bastionOptions) { UserName = "ops" }]</c>;
/// from ssh's syntax: <c>ProxyJump = SshProxyJump.Parse("ops@bastion:2222,inner")</c>.
/// </para>
/// </remarks>
public sealed record SshProxyJump
{
    /// <summary>The most jump hosts one connection goes through (nested ones included).</summary>
    public const int MaxHops = 16;

    /// <summary>A jump host at <paramref name="host"/>:<paramref name="port"/>, with its own options (null: the target's, see the remarks).</summary>
    /// <exception cref="ArgumentException"><paramref name="host"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is not 1 to 65535.</exception>
    public SshProxyJump(string host, int port = 22, SshClientOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        Host = host;
        Port = port;
        Options = options;
    }

    /// <summary>
    /// A jump host from an <see cref="SshHost"/>: its host, port, user and options. When the host has
    /// an <see cref="SshHost.OpenStream"/>, the first hop of a chain is reached through it instead of TCP
    /// (later hops are always reached through the previous one).
    /// </summary>
    public SshProxyJump(SshHost host)
        : this((host ?? throw new ArgumentNullException(nameof(host))).Host, host.Port, host.Options)
    {
        UserName = host.UserName;
        OpenStream = host.OpenStream;
    }

    /// <summary>The jump host's name or address, as this client resolves it for the first hop and as the previous hop resolves it for later ones; also the name its host key is checked under.</summary>
    public string Host { get; init; }

    /// <summary>The port; default 22.</summary>
    public int Port { get; init; }

    /// <summary>The login name on the jump host; when null, that of <see cref="Options"/> (the local user when those are inherited).</summary>
    public string? UserName { get; init; }

    /// <summary>How to connect and authenticate to this hop; null: the target's options, see the remarks.</summary>
    public SshClientOptions? Options { get; init; }

    /// <summary>For the first hop only: a stream to it instead of TCP (from <see cref="SshHost.OpenStream"/>).</summary>
    internal Func<CancellationToken, Task<Stream>>? OpenStream { get; init; }

    /// <summary>
    /// Parses OpenSSH's <c>ProxyJump</c> / <c>ssh -J</c> value: one or more hops separated by commas,
    /// each <c>[user@]host[:port]</c> (an IPv6 address with a port in brackets: <c>[::1]:2222</c>) or an
    /// ssh URI <c>ssh://[user@]host[:port]</c> (ssh(1)); <c>none</c> is the empty list, as in
    /// ssh_config. The hops come in connection order (the first is reached first) and have no
    /// options of their own, so they inherit the target's (see the remarks).
    /// </summary>
    /// <param name="text">The value, e.g. <c>alice@jump1:2222,jump2</c>.</param>
    /// <returns>The hops, in order.</returns>
    /// <exception cref="FormatException">An empty hop, host or user, a port that is not 1 to 65535, whitespace or control characters inside a hop, a URI with a path, or more than <see cref="MaxHops"/> hops.</exception>
    public static IReadOnlyList<SshProxyJump> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string value = text.Trim();
        if (value.Length == 0)
        {
            throw new FormatException("A ProxyJump value is empty.");
        }

        if (value.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        string[] parts = value.Split(',');
        if (parts.Length > MaxHops)
        {
            throw new FormatException($"ProxyJump '{Shorten(value)}' names {parts.Length} hosts; at most {MaxHops} are allowed.");
        }

        var hops = new List<SshProxyJump>(parts.Length);
        foreach (string part in parts)
        {
            hops.Add(ParseOne(part.Trim(), value));
        }

        return hops;
    }

    /// <summary>The hop in ssh's syntax, <c>[user@]host:port</c>, as <see cref="Parse"/> reads it.</summary>
    public override string ToString()
    {
        string host = Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host;
        string user = UserName is null ? string.Empty : UserName + "@";
        return string.Create(CultureInfo.InvariantCulture, $"{user}{host}:{Port}");
    }

    /// <summary>The options to connect to this hop with, given the target's.</summary>
    internal SshClientOptions OptionsFor(SshClientOptions target)
    {
        SshClientOptions options = Options ?? target with
        {
            UserName = Environment.UserName,
            ProxyJump = [],
            ProxyCommand = null,
            ConnectionEvents = null,
            GlobalRequestHandlers = null,
            ChannelOpenHandlers = null,
            ChannelRequestHandlers = null,
        };
        return UserName is null ? options : options with { UserName = UserName };
    }

    private static SshProxyJump ParseOne(string hop, string whole)
    {
        if (hop.Length == 0)
        {
            throw new FormatException($"ProxyJump '{Shorten(whole)}' has an empty host.");
        }

        foreach (char c in hop)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                throw new FormatException($"ProxyJump host '{Shorten(hop)}' contains whitespace or a control character.");
            }
        }

        string rest = hop;
        bool uri = false;
        if (rest.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase))
        {
            uri = true;
            rest = rest["ssh://".Length..];
            if (rest.EndsWith('/'))
            {
                rest = rest[..^1];
            }

            if (rest.Contains('/', StringComparison.Ordinal))
            {
                throw new FormatException($"The ssh URI '{Shorten(hop)}' has a path; a jump host has none.");
            }
        }

        string? user = null;
        int at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            user = rest[..at];
            rest = rest[(at + 1)..];
            if (uri)
            {
                // ssh URIs may carry parameters after the user (";fingerprint=..."); ssh ignores them.
                int semicolon = user.IndexOf(';', StringComparison.Ordinal);
                user = Uri.UnescapeDataString(semicolon >= 0 ? user[..semicolon] : user);
            }

            if (user.Length == 0)
            {
                throw new FormatException($"ProxyJump host '{Shorten(hop)}' has an empty user name.");
            }
        }

        int port = 22;
        string host = rest;
        if (rest.StartsWith('['))
        {
            int close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException($"Missing ']' in ProxyJump host '{Shorten(hop)}'.");
            }

            host = rest[1..close];
            string after = rest[(close + 1)..];
            if (after.Length > 0)
            {
                port = after[0] == ':' ? ParsePort(after[1..], hop) : throw new FormatException($"Unexpected '{Shorten(after)}' after the host in ProxyJump '{Shorten(hop)}'.");
            }
        }
        else if (rest.IndexOf(':', StringComparison.Ordinal) is int colon and >= 0 && rest.LastIndexOf(':') == colon)
        {
            host = rest[..colon];
            port = ParsePort(rest[(colon + 1)..], hop);
        }

        if (host.Length == 0)
        {
            throw new FormatException($"ProxyJump '{Shorten(hop)}' has an empty host.");
        }

        if (host[0] == '-')
        {
            throw new FormatException($"ProxyJump host '{Shorten(hop)}' starts with '-'.");
        }

        return new SshProxyJump(host, port) { UserName = user };
    }

    private static int ParsePort(string text, string hop) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and <= 65535
            ? port
            : throw new FormatException($"Bad port '{Shorten(text)}' in ProxyJump '{Shorten(hop)}'.");

    private static string Shorten(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "...");
}
