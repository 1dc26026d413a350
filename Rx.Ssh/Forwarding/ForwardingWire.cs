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

    /// <summary>string host to connect, uint32 port to connect, string originator IP address, uint32 originator port.</summary>
    public static byte[] DirectTcpipData(string host, int port, string originatorHost, int originatorPort)
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
}
