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
            _ = ServeAsync(socket, _stop.Token);
        }
    }

    private static async Task ServeAsync(Socket socket, CancellationToken cancellationToken)
    {
        using (socket)
        {
            try
            {
                socket.NoDelay = true;
                var header = new byte[8];
                if (!await ReadHeaderAsync(socket, header, cancellationToken))
                {
                    return; // a readiness probe: connected and closed
                }

                Task<long> sink = DrainAsync(socket, cancellationToken);
                await SendZerosAsync(socket, BinaryPrimitives.ReadInt64BigEndian(header), cancellationToken);
                long received = await sink;
                BinaryPrimitives.WriteInt64BigEndian(header, received);
                await socket.SendAsync(header, cancellationToken);
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // the client or the forward went away; the client side reports it
            }
        }
    }

    private static async Task<bool> ReadHeaderAsync(Socket socket, byte[] header, CancellationToken cancellationToken)
    {
        for (int got = 0; got < header.Length;)
        {
            int n = await socket.ReceiveAsync(header.AsMemory(got), cancellationToken);
            if (n == 0)
            {
                return false;
            }

            got += n;
        }

        return true;
    }

    private static async Task<long> DrainAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[BufferSize];
        long total = 0;
        int n;
        while ((n = await socket.ReceiveAsync(buffer, cancellationToken)) > 0)
        {
            total += n;
        }

        return total;
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
