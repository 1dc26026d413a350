using System.Net;
using System.Net.Sockets;

namespace Rx.Ssh.Keys;

/// <summary>
/// Matches a client against an authorized_keys <c>from="..."</c> pattern list the way OpenSSH's
/// <c>match_host_and_ip</c> does: each item is a host name wildcard pattern, an address, an address
/// wildcard (<c>10.0.0.*</c>) or a CIDR block (<c>192.0.2.0/24</c>, <c>2001:db8::/32</c>), optionally
/// negated with <c>!</c>. Any negated match rejects; otherwise one positive match accepts.
/// </summary>
internal static class SourcePattern
{
    /// <summary>True when the client (reverse-resolved <paramref name="hostName"/>, if any, and <paramref name="address"/>) is allowed.</summary>
    public static bool Matches(string patternList, string? hostName, IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        string addressText = AddressText(address);
        AddressMatch ip = MatchAddressList(patternList, address, addressText);
        if (ip is AddressMatch.Invalid or AddressMatch.Negated)
        {
            return false;
        }

        HostPattern.ListMatch host = HostPattern.MatchList(string.IsNullOrEmpty(hostName) ? addressText : hostName, patternList);
        if (host == HostPattern.ListMatch.Negated)
        {
            return false;
        }

        return ip == AddressMatch.Match || host == HostPattern.ListMatch.Match;
    }

    /// <summary>An address as patterns match it: IPv4-mapped IPv6 as IPv4, without an IPv6 scope.</summary>
    internal static string AddressText(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
        {
            address = new IPAddress(address.GetAddressBytes());
        }

        return address.ToString();
    }

    private enum AddressMatch
    {
        None,
        Match,
        Negated,
        Invalid,
    }

    private static AddressMatch MatchAddressList(string patternList, IPAddress address, string addressText)
    {
        AddressMatch result = AddressMatch.None;
        foreach (string raw in patternList.Split(','))
        {
            string item = raw.Trim();
            bool negated = item.StartsWith('!');
            if (negated)
            {
                item = item[1..];
            }

            bool matched;
            switch (TryParseCidr(item, out IPAddress? network, out int prefix))
            {
                case CidrParse.Invalid:
                    return AddressMatch.Invalid;
                case CidrParse.Ok:
                    matched = InNetwork(address, network!, prefix);
                    break;
                default:
                    matched = item.Length > 0 && HostPattern.Matches(addressText, item);
                    break;
            }

            if (matched)
            {
                if (negated)
                {
                    return AddressMatch.Negated;
                }

                result = AddressMatch.Match;
            }
        }

        return result;
    }

    private enum CidrParse
    {
        NotAnAddress,
        Ok,
        Invalid,
    }

    private static CidrParse TryParseCidr(string item, out IPAddress? network, out int prefix)
    {
        network = null;
        prefix = 0;
        int slash = item.IndexOf('/', StringComparison.Ordinal);
        string addressPart = slash < 0 ? item : item[..slash];
        if (addressPart.Length == 0 || addressPart.Contains('%', StringComparison.Ordinal)
            || !IPAddress.TryParse(addressPart, out IPAddress? parsed)
            || (parsed.AddressFamily == AddressFamily.InterNetwork && addressPart.Count(c => c == '.') != 3))
        {
            // IPAddress.TryParse accepts shorthand such as "10" or "10.1"; OpenSSH wants dotted quads.
            return CidrParse.NotAnAddress;
        }

        int maxPrefix = parsed.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (slash < 0)
        {
            prefix = maxPrefix;
        }
        else if (!int.TryParse(item.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix)
            || prefix > maxPrefix)
        {
            return CidrParse.Invalid;
        }

        // Like OpenSSH, a block with host bits set (192.0.2.1/24) is an error, not a silent widening.
        if (!HostBitsClear(parsed.GetAddressBytes(), prefix))
        {
            return CidrParse.Invalid;
        }

        network = parsed;
        return CidrParse.Ok;
    }

    private static bool InNetwork(IPAddress address, IPAddress network, int prefix)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        byte[] a = address.GetAddressBytes();
        byte[] n = network.GetAddressBytes();
        int full = prefix / 8;
        if (!a.AsSpan(0, full).SequenceEqual(n.AsSpan(0, full)))
        {
            return false;
        }

        int rest = prefix % 8;
        if (rest == 0)
        {
            return true;
        }

        int mask = 0xff << (8 - rest) & 0xff;
        return (a[full] & mask) == (n[full] & mask);
    }

    private static bool HostBitsClear(byte[] bytes, int prefix)
    {
        for (int bit = prefix; bit < bytes.Length * 8; bit++)
        {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                return false;
            }
        }

        return true;
    }
}
