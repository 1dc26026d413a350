using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Rx.Ssh.Forwarding;

/// <summary>
/// The server half of a SOCKS CONNECT handshake (SOCKS4, SOCKS4a, SOCKS5 without authentication,
/// RFC 1928) on an accepted socket: reads the request, opens the channel through
/// <c>open</c>, answers with the reply code, and returns the channel to splice. Bad input gets the
/// version's error reply (when the version is known) and a <see cref="SocksException"/>; the caller closes the socket.
/// Reads exactly the bytes of the handshake, so nothing the client sends after it is lost.
/// </summary>
internal static class SocksHandshake
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<SshChannelStream> RunAsync(Socket socket, Func<string, int, CancellationToken, Task<SshChannelStream>> open, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        CancellationToken ct = deadline.Token;
        byte version = (await ReadExactAsync(socket, 1, ct).ConfigureAwait(false))[0];
        return version switch
        {
            4 => await Socks4Async(socket, open, ct, cancellationToken).ConfigureAwait(false),
            5 => await Socks5Async(socket, open, ct, cancellationToken).ConfigureAwait(false),
            _ => throw new SocksException($"Not a SOCKS request (version byte {version})."),
        };
    }

    private static async Task<SshChannelStream> Socks4Async(Socket socket, Func<string, int, CancellationToken, Task<SshChannelStream>> open, CancellationToken ct, CancellationToken channelToken)
    {
        // VN=4 CD PORT(2) IP(4) USERID NUL [HOST NUL for 4a]
        byte[] head = await ReadExactAsync(socket, 7, ct).ConfigureAwait(false);
        byte command = head[0];
        int port = BinaryPrimitives.ReadUInt16BigEndian(head.AsSpan(1, 2));
        await ReadNulTerminatedAsync(socket, ct).ConfigureAwait(false); // user id, ignored
        string host;
        if (head[3] == 0 && head[4] == 0 && head[5] == 0 && head[6] != 0)
        {
            host = await ReadNulTerminatedAsync(socket, ct).ConfigureAwait(false); // SOCKS4a: the name follows
        }
        else
        {
            host = new IPAddress(head.AsSpan(3, 4)).ToString();
        }

        if (command != 1 || port == 0 || host.Length == 0)
        {
            await Socks4ReplyAsync(socket, false, ct).ConfigureAwait(false);
            throw new SocksException($"Unsupported SOCKS4 request (command {command}).");
        }

        SshChannelStream channel;
        try
        {
            channel = await open(host, port, channelToken).ConfigureAwait(false);
        }
        catch (SshChannelOpenException)
        {
            await Socks4ReplyAsync(socket, false, ct).ConfigureAwait(false);
            throw;
        }

        await Socks4ReplyAsync(socket, true, ct).ConfigureAwait(false);
        return channel;
    }

    private static async Task<SshChannelStream> Socks5Async(Socket socket, Func<string, int, CancellationToken, Task<SshChannelStream>> open, CancellationToken ct, CancellationToken channelToken)
    {
        byte count = (await ReadExactAsync(socket, 1, ct).ConfigureAwait(false))[0];
        byte[] methods = await ReadExactAsync(socket, count, ct).ConfigureAwait(false);
        if (Array.IndexOf(methods, (byte)0) < 0)
        {
            await SendAsync(socket, [5, 0xFF], ct).ConfigureAwait(false);
            throw new SocksException("The SOCKS5 client offers no method without authentication.");
        }

        await SendAsync(socket, [5, 0], ct).ConfigureAwait(false);

        // VER CMD RSV ATYP DST.ADDR DST.PORT
        byte[] request = await ReadExactAsync(socket, 4, ct).ConfigureAwait(false);
        if (request[0] != 5)
        {
            await Socks5ReplyAsync(socket, 1, ct).ConfigureAwait(false);
            throw new SocksException($"Bad SOCKS5 request version {request[0]}.");
        }

        string host;
        switch (request[3])
        {
            case 1:
                host = new IPAddress(await ReadExactAsync(socket, 4, ct).ConfigureAwait(false)).ToString();
                break;
            case 3:
                byte length = (await ReadExactAsync(socket, 1, ct).ConfigureAwait(false))[0];
                host = Encoding.ASCII.GetString(await ReadExactAsync(socket, length, ct).ConfigureAwait(false));
                break;
            case 4:
                host = new IPAddress(await ReadExactAsync(socket, 16, ct).ConfigureAwait(false)).ToString();
                break;
            default:
                await Socks5ReplyAsync(socket, 8, ct).ConfigureAwait(false); // address type not supported
                throw new SocksException($"Unsupported SOCKS5 address type {request[3]}.");
        }

        int port = BinaryPrimitives.ReadUInt16BigEndian(await ReadExactAsync(socket, 2, ct).ConfigureAwait(false));
        if (request[1] != 1)
        {
            await Socks5ReplyAsync(socket, 7, ct).ConfigureAwait(false); // command not supported
            throw new SocksException($"Unsupported SOCKS5 command {request[1]}.");
        }

        if (host.Length == 0 || port == 0)
        {
            await Socks5ReplyAsync(socket, 1, ct).ConfigureAwait(false);
            throw new SocksException("Empty SOCKS5 destination.");
        }

        SshChannelStream channel;
        try
        {
            channel = await open(host, port, channelToken).ConfigureAwait(false);
        }
        catch (SshChannelOpenException ex)
        {
            byte code = ex.Reason switch
            {
                ChannelOpenFailureReason.AdministrativelyProhibited => 2, // not allowed by ruleset
                ChannelOpenFailureReason.ConnectFailed => 5, // connection refused
                _ => 1,
            };
            await Socks5ReplyAsync(socket, code, ct).ConfigureAwait(false);
            throw;
        }

        await Socks5ReplyAsync(socket, 0, ct).ConfigureAwait(false);
        return channel;
    }

    private static Task Socks4ReplyAsync(Socket socket, bool granted, CancellationToken ct) =>
        SendAsync(socket, [0, granted ? (byte)0x5A : (byte)0x5B, 0, 0, 0, 0, 0, 0], ct);

    private static Task Socks5ReplyAsync(Socket socket, byte code, CancellationToken ct) =>
        SendAsync(socket, [5, code, 0, 1, 0, 0, 0, 0, 0, 0], ct);

    private static async Task SendAsync(Socket socket, byte[] data, CancellationToken ct)
    {
        int sent = 0;
        while (sent < data.Length)
        {
            sent += await socket.SendAsync(data.AsMemory(sent), SocketFlags.None, ct).ConfigureAwait(false);
        }
    }

    private static async Task<byte[]> ReadExactAsync(Socket socket, int count, CancellationToken ct)
    {
        var buffer = new byte[count];
        int read = 0;
        while (read < count)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, ct).ConfigureAwait(false);
            if (n == 0)
            {
                throw new SocksException("The SOCKS client closed the connection during the handshake.");
            }

            read += n;
        }

        return buffer;
    }

    private static async Task<string> ReadNulTerminatedAsync(Socket socket, CancellationToken ct)
    {
        var bytes = new List<byte>();
        while (true)
        {
            byte b = (await ReadExactAsync(socket, 1, ct).ConfigureAwait(false))[0];
            if (b == 0)
            {
                return Encoding.ASCII.GetString([.. bytes]);
            }

            if (bytes.Count >= 255)
            {
                throw new SocksException("SOCKS4 field too long.");
            }

            bytes.Add(b);
        }
    }
}

/// <summary>A SOCKS client sent something this listener does not serve; the socket is closed.</summary>
internal sealed class SocksException(string message) : IOException(message);
