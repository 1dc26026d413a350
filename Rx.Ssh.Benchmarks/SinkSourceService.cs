using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

/// <summary>
/// The forwarding benchmarks' destination, in-process on 127.0.0.1 and a free port. Per connection:
/// the client sends an 8-byte big-endian count N, then whatever it uploads, then EOF; the service
/// sends N zero bytes while reading (and counting) to EOF, then the 8-byte count it received, then
/// EOF. <see cref="SinkSourceClient"/> is the other end.
/// </summary>
internal sealed class SinkSourceService : IAsyncDisposable
{
    internal const int BufferSize = 256 * 1024;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private SinkSourceService(Socket listener)
    {
        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public static SinkSourceService Start()
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(512);
        return new SinkSourceService(listener);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket = await _listener.AcceptAsync(_stop.Token);
            Dedicated.Start(() => Serve(socket));
        }
    }

    /// <summary>
    /// One connection on threads of its own with blocking calls, so that the harness costs little
    /// CPU next to the implementations measured (on 2 cores, async socket loops here kept the thread
    /// pool spinning in <c>sched_yield</c> and took CPU from the SSH processes under test).
    /// </summary>
    private static void Serve(Socket socket)
    {
        using (socket)
        {
            try
            {
                socket.NoDelay = true;
                var header = new byte[8];
                if (!ReadHeader(socket, header))
                {
                    return; // a readiness probe: connected and closed
                }

                long toSend = BinaryPrimitives.ReadInt64BigEndian(header);
                long received;
                if (toSend <= SmallReply)
                {
                    SendZeros(socket, toSend); // fits the socket's buffer: cannot block while the peer sends
                    received = Drain(socket);
                }
                else
                {
                    Task<long> sink = Dedicated.Run(() => Drain(socket));
                    SendZeros(socket, toSend);
                    received = sink.GetAwaiter().GetResult();
                }

                BinaryPrimitives.WriteInt64BigEndian(header, received);
                socket.Send(header);
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // the client or the forward went away; the client side reports it
            }
        }
    }

    private const int SmallReply = 16 * 1024;

    private static bool ReadHeader(Socket socket, byte[] header)
    {
        for (int got = 0; got < header.Length;)
        {
            int n = socket.Receive(header, got, header.Length - got, SocketFlags.None);
            if (n == 0)
            {
                return false;
            }

            got += n;
        }

        return true;
    }

    private static long Drain(Socket socket)
    {
        var buffer = new byte[BufferSize];
        long total = 0;
        int n;
        while ((n = socket.Receive(buffer)) > 0)
        {
            total += n;
        }

        return total;
    }

    internal static void SendZeros(Socket socket, long bytes)
    {
        var buffer = new byte[(int)Math.Min(bytes, BufferSize)];
        for (long left = bytes; left > 0;)
        {
            left -= socket.Send(buffer, 0, (int)Math.Min(left, buffer.Length), SocketFlags.None);
        }
    }

    internal static async Task SendZerosAsync(Socket socket, long bytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[(int)Math.Min(bytes, BufferSize)];
        for (long left = bytes; left > 0;)
        {
            int n = (int)Math.Min(left, buffer.Length);
            left -= await socket.SendAsync(buffer.AsMemory(0, n), cancellationToken);
        }
    }
}
