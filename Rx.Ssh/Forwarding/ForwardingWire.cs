using System.Buffers;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Forwarding;

/// <summary>The type-specific data of the forwarding channels and global requests (RFC 4254 section 7, OpenSSH PROTOCOL section 2.4).</summary>
internal static class ForwardingWire
{
    public const string DirectTcpip = "direct-tcpip";
    public const string DirectStreamLocal = "direct-streamlocal@openssh.com";
    public const string ForwardedTcpip = "forwarded-tcpip";
    public const string ForwardedStreamLocal = "forwarded-streamlocal@openssh.com";
    public const string TcpipForward = "tcpip-forward";
    public const string CancelTcpipForward = "cancel-tcpip-forward";
    public const string StreamLocalForward = "streamlocal-forward@openssh.com";
    public const string CancelStreamLocalForward = "cancel-streamlocal-forward@openssh.com";

    /// <summary>
    /// <c>direct-tcpip</c> and <c>forwarded-tcpip</c> have one shape: string host (to connect, or
    /// that was connected), uint32 port, string originator IP address, uint32 originator port.
    /// </summary>
    public static byte[] DirectTcpipData(string host, int port, string originatorHost, int originatorPort) =>
        HostPortOriginator(host, port, originatorHost, originatorPort);

    /// <summary><c>forwarded-tcpip</c>: the address and port that was connected, and the originator (see <see cref="DirectTcpipData"/>).</summary>
    public static byte[] ForwardedTcpipData(string host, int port, string originatorHost, int originatorPort) =>
        HostPortOriginator(host, port, originatorHost, originatorPort);

    /// <summary>Reads the <see cref="DirectTcpipData"/> / <see cref="ForwardedTcpipData"/> shape, ports checked to be 0 to 65535.</summary>
    public static (string Host, int Port, string Originator, int OriginatorPort) ReadHostPortOriginator(ReadOnlySpan<byte> data)
    {
        var r = new SshReader(data);
        string host = r.ReadUtf8String();
        int port = Port(r.ReadUInt32());
        string originator = r.ReadUtf8String();
        int originatorPort = Port(r.ReadUInt32());
        r.ReadEnd();
        return (host, port, originator, originatorPort);
    }

    /// <summary>
    /// <c>direct-streamlocal@openssh.com</c> (string socket path, string reserved, uint32 reserved) and
    /// <c>forwarded-streamlocal@openssh.com</c> (string socket path, string reserved): only the path
    /// is read, as older peers omit the reserved fields.
    /// </summary>
    public static string ReadStreamLocalChannel(ReadOnlySpan<byte> data)
    {
        var r = new SshReader(data);
        return Path(r.ReadUtf8String());
    }

    /// <summary><c>tcpip-forward</c> and <c>cancel-tcpip-forward</c>: string address to bind, uint32 port.</summary>
    public static (string Host, int Port) ReadListen(ReadOnlySpan<byte> data)
    {
        var r = new SshReader(data);
        string host = r.ReadUtf8String();
        int port = Port(r.ReadUInt32());
        r.ReadEnd();
        return (host, port);
    }

    /// <summary><c>streamlocal-forward@openssh.com</c> and its cancel: string socket path.</summary>
    public static string ReadListenPath(ReadOnlySpan<byte> data)
    {
        var r = new SshReader(data);
        string path = Path(r.ReadUtf8String());
        r.ReadEnd();
        return path;
    }

    /// <summary><c>forwarded-streamlocal@openssh.com</c>: string socket path, string reserved.</summary>
    public static byte[] ForwardedStreamLocalData(string path)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var w = new SshWriter(buffer);
        w.WriteString(path);
        w.WriteString(string.Empty);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The SUCCESS data of a <c>tcpip-forward</c> with port 0: uint32 the port bound.</summary>
    public static byte[] AllocatedPort(int port)
    {
        var buffer = new ArrayBufferWriter<byte>(4);
        new SshWriter(buffer).WriteUInt32((uint)port);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] HostPortOriginator(string host, int port, string originatorHost, int originatorPort)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var w = new SshWriter(buffer);
        w.WriteString(host);
        w.WriteUInt32(checked((uint)port));
        w.WriteString(originatorHost);
        w.WriteUInt32(checked((uint)originatorPort));
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>string socket path, string reserved, uint32 reserved.</summary>
    public static byte[] DirectStreamLocalData(string path)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var w = new SshWriter(buffer);
        w.WriteString(path);
        w.WriteString(string.Empty);
        w.WriteUInt32(0);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>string address to bind, uint32 port to bind (tcpip-forward and its cancel).</summary>
    public static byte[] TcpipForwardData(string host, int port)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        var w = new SshWriter(buffer);
        w.WriteString(host);
        w.WriteUInt32(checked((uint)port));
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>string socket path (streamlocal-forward and its cancel).</summary>
    public static byte[] StreamLocalForwardData(string path)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        var w = new SshWriter(buffer);
        w.WriteString(path);
        return buffer.WrittenSpan.ToArray();
    }

    public static void CheckPort(int port, string parameter, bool allowZero)
    {
        if (port < (allowZero ? 0 : 1) || port > 65535)
        {
            throw new ArgumentOutOfRangeException(parameter, port, allowZero ? "A port is 0 to 65535." : "A port is 1 to 65535.");
        }
    }

    private static int Port(uint port) => port <= 65535 ? (int)port : throw new FormatException($"Port {port} is out of range.");

    private static string Path(string path) => path.Length > 0 && !path.Contains('\0', StringComparison.Ordinal) ? path : throw new FormatException("Invalid socket path.");
}
