using System.Buffers;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Server.Forwarding;

/// <summary>The type-specific fields of the forwarding channels and requests (RFC 4254 sections 7.1 and 7.2, OpenSSH PROTOCOL 2.4 and 2.5).</summary>
internal static class ForwardWire
{
    /// <summary><c>direct-tcpip</c>: string host, uint32 port, string originator address, uint32 originator port.</summary>
    public static (string Host, int Port, string Originator, int OriginatorPort) ReadDirectTcpip(ReadOnlySpan<byte> data)
    {
        var r = new SshReader(data);
        string host = r.ReadUtf8String();
        int port = Port(r.ReadUInt32());
        string originator = r.ReadUtf8String();
        int originatorPort = Port(r.ReadUInt32());
        r.ReadEnd();
        return (host, port, originator, originatorPort);
    }

    /// <summary><c>direct-streamlocal@openssh.com</c>: string socket path, string reserved, uint32 reserved (older clients omit the reserved fields).</summary>
    public static string ReadDirectStreamLocal(ReadOnlySpan<byte> data)
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

    /// <summary><c>forwarded-tcpip</c>: string address that was connected, uint32 port that was connected, string originator address, uint32 originator port.</summary>
    public static byte[] ForwardedTcpip(string host, int port, string originator, int originatorPort)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var w = new SshWriter(buffer);
        w.WriteString(host);
        w.WriteUInt32((uint)port);
        w.WriteString(originator);
        w.WriteUInt32((uint)originatorPort);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>forwarded-streamlocal@openssh.com</c>: string socket path, string reserved.</summary>
    public static byte[] ForwardedStreamLocal(string path)
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

    private static int Port(uint port) => port <= 65535 ? (int)port : throw new FormatException($"Port {port} is out of range.");

    private static string Path(string path) => path.Length > 0 && !path.Contains('\0', StringComparison.Ordinal) ? path : throw new FormatException("Invalid socket path.");
}
