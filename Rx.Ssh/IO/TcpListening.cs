using System.Net;
using System.Net.Sockets;

namespace Rx.Ssh.IO;

/// <summary>The listening socket the SSH listeners share (<c>SshListener</c>, <c>SshReverseListener</c>).</summary>
internal static class TcpListening
{
    /// <summary>The accept backlog of an SSH listener.</summary>
    public const int Backlog = 512;

    /// <summary>
    /// A socket bound to <paramref name="address"/>:<paramref name="port"/> and listening (dual-stack
    /// for <see cref="IPAddress.IPv6Any"/>, address reuse on).
    /// </summary>
    /// <exception cref="SshException">It cannot bind or listen (the message names address and port).</exception>
    public static Socket Listen(IPAddress address, int port)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen(Backlog);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new SshException($"Cannot listen on {address} port {port}: {ex.Message}", ex);
        }
    }
}
