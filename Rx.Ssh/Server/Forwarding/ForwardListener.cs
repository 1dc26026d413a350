using System.Net;
using System.Net.Sockets;

namespace Rx.Ssh.Server.Forwarding;

/// <summary>
/// One socket the server listens on for a client's remote forward (<c>tcpip-forward</c> or
/// <c>streamlocal-forward@openssh.com</c>). Disposing stops listening (connections already
/// forwarded go on) and removes a UNIX socket file it created.
/// </summary>
internal sealed class ForwardListener : IDisposable
{
    private readonly Socket _socket;
    private int _disposed;

    private ForwardListener(Socket socket, SshListenRequest request, int port)
    {
        _socket = socket;
        Request = request;
        Port = port;
    }

    /// <summary>The request it was bound for.</summary>
    public SshListenRequest Request { get; }

    /// <summary>The port bound (the allocated one for a request with port 0); 0 for a UNIX socket.</summary>
    public int Port { get; }

    /// <summary>The key a cancel request finds it by.</summary>
    public string Key => Request.IsStreamLocal ? KeyOf(Request.SocketPath!) : KeyOf(Request.Host, Port);

    public static string KeyOf(string host, int port) => "tcp " + ForwardText.HostPort(host, port);

    public static string KeyOf(string path) => "unix " + path;

    /// <summary>Binds as the request says (see <see cref="SshListenRequest"/> for bind addresses).</summary>
    /// <exception cref="SocketException">The address is taken or cannot be bound.</exception>
    /// <exception cref="ArgumentException">The bind address is a host name other than <c>localhost</c>.</exception>
    public static ForwardListener Bind(SshListenRequest request)
    {
        Socket socket;
        if (request.SocketPath is { } path)
        {
            socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Bind(new UnixDomainSocketEndPoint(path));
                socket.Listen(128);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            return new ForwardListener(socket, request, 0);
        }

        IPAddress address = BindAddress(request.Host);
        socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(new IPEndPoint(address, request.Port));
            socket.Listen(128);
            return new ForwardListener(socket, request, ((IPEndPoint)socket.LocalEndPoint!).Port);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Accepts the next connection; throws once disposed.</summary>
    public ValueTask<Socket> AcceptAsync(CancellationToken cancellationToken) => _socket.AcceptAsync(cancellationToken);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _socket.Dispose();
        if (Request.SocketPath is { } path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left behind; the next bind of the path fails and says so.
            }
        }
    }

    private static IPAddress BindAddress(string host)
    {
        if (host is "" or "*")
        {
            return Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any;
        }

        if (host == "localhost")
        {
            return IPAddress.Loopback;
        }

        return IPAddress.TryParse(host, out IPAddress? address)
            ? address
            : throw new ArgumentException($"The bind address '{host}' is not an address; only \"\", \"*\", \"localhost\" and IP addresses are accepted.", nameof(host));
    }
}
