using System.Globalization;

namespace Rx.Ssh.Server.Forwarding;

/// <summary>Formatting shared by the forwarding types.</summary>
internal static class ForwardText
{
    /// <summary><c>host:port</c>, with an IPv6 host in brackets.</summary>
    public static string HostPort(string host, int port) =>
        (host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host) + ":" + port.ToString(CultureInfo.InvariantCulture);
}
