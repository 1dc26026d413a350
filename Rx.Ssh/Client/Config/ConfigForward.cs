using System.Globalization;
using Rx.Ssh.Config;

namespace Rx.Ssh.Client.Config;

/// <summary>What kind of forward a configuration line asks for.</summary>
internal enum ConfigForwardKind
{
    /// <summary><c>LocalForward</c> (ssh -L).</summary>
    Local,

    /// <summary><c>RemoteForward</c> (ssh -R) with a destination.</summary>
    Remote,

    /// <summary><c>DynamicForward</c> (ssh -D): a local SOCKS listener.</summary>
    Dynamic,
}

/// <summary>
/// One <c>LocalForward</c>, <c>RemoteForward</c> or <c>DynamicForward</c>, parsed: a listen side
/// (<c>[address:]port</c>, <c>[v6]:port</c>, or a UNIX socket path) and for Local/Remote a destination
/// (<c>host:port</c>, <c>[v6]:port</c>, or a path).
/// </summary>
/// <param name="Kind">The keyword.</param>
/// <param name="ListenHost">The address to bind; null for the default (loopback locally, <c>localhost</c> on the server; every interface with GatewayPorts).</param>
/// <param name="ListenPort">The port; 0 when listening on a path.</param>
/// <param name="ListenPath">The socket path, or null.</param>
/// <param name="DestinationHost">The destination host, or null (dynamic, or a path).</param>
/// <param name="DestinationPort">The destination port.</param>
/// <param name="DestinationPath">The destination socket path, or null.</param>
/// <param name="Text">The directive as written, for logs.</param>
internal sealed record ConfigForward(
    ConfigForwardKind Kind, string? ListenHost, int ListenPort, string? ListenPath, string? DestinationHost, int DestinationPort, string? DestinationPath, string Text)
{
    /// <summary>Every forward of <paramref name="config"/>, in order.</summary>
    /// <exception cref="SshConfigException">A forward is malformed; names its file and line.</exception>
    public static IReadOnlyList<ConfigForward> All(SshHostConfig config)
    {
        var forwards = new List<ConfigForward>();
        for (int i = 0; i < config.LocalForwards.Count; i++)
        {
            forwards.Add(Parse(config, "localforward", i, ConfigForwardKind.Local, config.LocalForwards[i]));
        }

        for (int i = 0; i < config.RemoteForwards.Count; i++)
        {
            forwards.Add(Parse(config, "remoteforward", i, ConfigForwardKind.Remote, config.RemoteForwards[i]));
        }

        for (int i = 0; i < config.DynamicForwards.Count; i++)
        {
            forwards.Add(Parse(config, "dynamicforward", i, ConfigForwardKind.Dynamic, [config.DynamicForwards[i]]));
        }

        return forwards;
    }

    private static ConfigForward Parse(SshHostConfig config, string keyword, int index, ConfigForwardKind kind, IReadOnlyList<string> arguments)
    {
        string text = string.Join(' ', arguments);
        int wanted = kind == ConfigForwardKind.Dynamic ? 1 : 2;
        if (arguments.Count != wanted)
        {
            string problem = kind == ConfigForwardKind.Remote && arguments.Count == 1
                ? "RemoteForward without a destination (a reverse SOCKS proxy) is not supported"
                : $"{keyword}: expected {(wanted == 1 ? "[address:]port" : "[address:]port host:port")}, not '{text}'";
            throw config.Error(keyword, index, problem);
        }

        if (!TryListen(arguments[0], out string? listenHost, out int listenPort, out string? listenPath))
        {
            throw config.Error(keyword, index, $"{keyword}: bad listen address '{arguments[0]}'");
        }

        if (kind == ConfigForwardKind.Dynamic)
        {
            return listenPath is null
                ? new(kind, listenHost, listenPort, null, null, 0, null, text)
                : throw config.Error(keyword, index, "DynamicForward on a UNIX socket is not supported");
        }

        if (!TryDestination(arguments[1], out string? host, out int port, out string? path))
        {
            throw config.Error(keyword, index, $"{keyword}: bad destination '{arguments[1]}'");
        }

        if (kind == ConfigForwardKind.Remote && (listenPath is null) != (path is null))
        {
            throw config.Error(keyword, index, "RemoteForward between a port and a UNIX socket is not supported (port to port, or socket to socket)");
        }

        return new(kind, listenHost, listenPort, listenPath, host, port, path, text);
    }

    /// <summary><c>port</c>, <c>address:port</c>, <c>[v6]:port</c>, <c>*:port</c>, or a path (has a <c>/</c>).</summary>
    public static bool TryListen(string text, out string? host, out int port, out string? path)
    {
        (host, port, path) = (null, 0, null);
        if (text.Contains('/', StringComparison.Ordinal))
        {
            path = text;
            return true;
        }

        if (TryPort(text, out port))
        {
            return true;
        }

        if (!TryHostPort(text, out string bind, out port))
        {
            return false;
        }

        host = bind.Length == 0 ? "*" : bind;
        return true;
    }

    /// <summary><c>host:port</c>, <c>[v6]:port</c>, or a path (has a <c>/</c>).</summary>
    public static bool TryDestination(string text, out string? host, out int port, out string? path)
    {
        (host, port, path) = (null, 0, null);
        if (text.Contains('/', StringComparison.Ordinal) && !text.StartsWith('['))
        {
            path = text;
            return true;
        }

        return TryHostPort(text, out host, out port) && host.Length > 0 && port > 0;
    }

    private static bool TryHostPort(string text, out string host, out int port)
    {
        (host, port) = (string.Empty, 0);
        int colon;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                return false;
            }

            host = text[1..close];
            colon = close + 1;
        }
        else
        {
            colon = text.LastIndexOf(':');
            if (colon < 0 || text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                return false;
            }

            host = text[..colon];
        }

        return TryPort(text[(colon + 1)..], out port);
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 0 and <= 65535;
}
