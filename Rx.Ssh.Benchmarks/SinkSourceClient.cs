using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

/// <summary>The client end of <see cref="SinkSourceService"/>, connecting through a forward's listening port.</summary>
internal static class SinkSourceClient
{
    /// <summary>
    /// Connects to 127.0.0.1:<paramref name="port"/>, uploads <paramref name="up"/> bytes while
    /// downloading <paramref name="down"/>, and checks both counts (the service reports what it got).
    /// </summary>
    public static async Task ExchangeAsync(int port, long up, long down, CancellationToken cancellationToken = default)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cancellationToken);
        var header = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(header, down);
        await socket.SendAsync(header, cancellationToken);
        Task upload = UploadAsync(socket, up, cancellationToken);
        (long received, long reported) = await DownloadAsync(socket, cancellationToken);
        await upload;
        Check(port, up, down, received, reported);
    }

    /// <summary>
    /// <see cref="ExchangeAsync"/> for the bulk transfers: both directions on threads of their own with
    /// blocking calls, so the harness's side of a forward costs little CPU next to what is measured.
    /// </summary>
    public static async Task ExchangeBlockingAsync(int port, long up, long down)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        var header = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(header, down);
        socket.Send(header);
        Task<long> upload = Dedicated.Run(() =>
        {
            SinkSourceService.SendZeros(socket, up);
            socket.Shutdown(SocketShutdown.Send);
            return up;
        });
        (long received, long reported) = await Dedicated.Run(() => Download(socket));
        await upload;
        Check(port, up, down, received, reported);
    }

    private static void Check(int port, long up, long down, long received, long reported)
    {
        if (received != down + 8 || reported != up)
        {
            throw new InvalidOperationException($"through port {port}: expected {down} bytes down and {up} up, got {received - 8} down and the service got {reported}");
        }
    }

    private static (long Received, long Reported) Download(Socket socket)
    {
        var buffer = new byte[SinkSourceService.BufferSize];
        var tail = new byte[8];
        long total = 0;
        int n;
        while ((n = socket.Receive(buffer)) > 0)
        {
            total += n;
            KeepTail(buffer.AsSpan(0, n), tail);
        }

        return (total, BinaryPrimitives.ReadInt64BigEndian(tail));
    }

    /// <summary>Keeps the last 8 bytes seen in <paramref name="tail"/>.</summary>
    private static void KeepTail(ReadOnlySpan<byte> chunk, byte[] tail)
    {
        if (chunk.Length >= tail.Length)
        {
            chunk[^tail.Length..].CopyTo(tail);
        }
        else
        {
            tail.AsSpan(chunk.Length).CopyTo(tail);
            chunk.CopyTo(tail.AsSpan(tail.Length - chunk.Length));
        }
    }

    private static async Task UploadAsync(Socket socket, long bytes, CancellationToken cancellationToken)
    {
        await SinkSourceService.SendZerosAsync(socket, bytes, cancellationToken);
        socket.Shutdown(SocketShutdown.Send);
    }

    /// <summary>Reads to EOF; returns the byte count and the last 8 bytes as the service's count.</summary>
    private static async Task<(long Received, long Reported)> DownloadAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[SinkSourceService.BufferSize];
        var tail = new byte[8];
        long total = 0;
        int n;
        while ((n = await socket.ReceiveAsync(buffer, cancellationToken)) > 0)
        {
            total += n;
            KeepTail(buffer.AsSpan(0, n), tail);
        }

        return (total, BinaryPrimitives.ReadInt64BigEndian(tail));
    }
}
