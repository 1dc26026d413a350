using System.Globalization;

namespace Rx.Ssh;

/// <summary>
/// A <c>permitopen="host:port"</c> or <c>permitlisten="[host:]port"</c> value from authorized_keys.
/// </summary>
/// <param name="Host">The host (IPv6 without brackets); <c>*</c> for any host; null when a permitlisten value gave only a port.</param>
/// <param name="Port">The port, or null for <c>*</c> (any port).</param>
public sealed record ForwardPermission(string? Host, int? Port)
{
    /// <summary>True when this permission allows <paramref name="host"/> and <paramref name="port"/> (host compared without regard to case).</summary>
    public bool Allows(string host, int port)
    {
        ArgumentNullException.ThrowIfNull(host);
        bool hostOk = Host is null || Host == "*" || string.Equals(Host, host, StringComparison.OrdinalIgnoreCase);
        return hostOk && (Port is null || Port == port);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        string port = Port?.ToString(CultureInfo.InvariantCulture) ?? "*";
        if (Host is null)
        {
            return port;
        }

        return (Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host) + ":" + port;
    }

    /// <summary>Parses <c>host:port</c> (or just <c>port</c> when <paramref name="hostOptional"/>); IPv6 hosts in brackets.</summary>
    internal static ForwardPermission Parse(string value, bool hostOptional)
    {
        string? host;
        string port;
        if (value.StartsWith('['))
        {
            int close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= value.Length || value[close + 1] != ':')
            {
                throw new FormatException($"invalid host:port '{value}'");
            }

            host = value[1..close];
            port = value[(close + 2)..];
        }
        else
        {
            int colon = value.LastIndexOf(':');
            if (colon < 0)
            {
                if (!hostOptional)
                {
                    throw new FormatException($"missing port in '{value}'");
                }

                host = null;
                port = value;
            }
            else
            {
                host = value[..colon];
                port = value[(colon + 1)..];
                if (host.Contains(':', StringComparison.Ordinal))
                {
                    throw new FormatException($"IPv6 host in '{value}' must be in brackets");
                }
            }
        }

        if (host is { Length: 0 })
        {
            throw new FormatException($"empty host in '{value}'");
        }

        if (port == "*")
        {
            return new ForwardPermission(host, null);
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number is < 1 or > 65535)
        {
            throw new FormatException($"invalid port in '{value}'");
        }

        return new ForwardPermission(host, number);
    }
}
