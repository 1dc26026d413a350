using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>Plain TCP clients for listener tests: connect, read the server's version line, read until closed.</summary>
internal static class RawTcp
{
    /// <summary>Connects to 127.0.0.1 on <paramref name="port"/>.</summary>
    public static async Task<TcpClient> ConnectAsync(int port)
    {
        var c = new TcpClient();
        await c.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TestTimeout.Default);
        return c;
    }

    /// <summary>Reads one line (without <c>\n</c>) byte by byte.</summary>
    public static async Task<string> ReadLineAsync(NetworkStream s)
    {
        var line = new StringBuilder();
        byte[] one = new byte[1];
        while (await s.ReadAsync(one).AsTask().WaitAsync(TestTimeout.Default) == 1 && one[0] != '\n')
        {
            line.Append((char)one[0]);
        }

        return line.ToString();
    }

    /// <summary>Reads until the server closes; returns the byte count (0 when closed or reset at once).</summary>
    public static async Task<int> ReadOrResetAsync(NetworkStream s)
    {
        int total = 0;
        byte[] buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await s.ReadAsync(buffer).AsTask().WaitAsync(TestTimeout.Default)) > 0)
            {
                total += n;
            }
        }
        catch (IOException)
        {
        }

        return total;
    }
}
