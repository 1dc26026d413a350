using System.Net;
using System.Net.Sockets;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Server.Forwarding;

/// <summary>
/// A TCP echo service on 127.0.0.1 (a free port) for forwarding tests: each connection gets back
/// what it sends; at the client's EOF it half-closes too. Counts the connections it accepted.
/// Disposing stops listening and closes the connections.
/// </summary>
internal sealed class EchoService : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _accepted;

    public EchoService()
    {
        _listener.Start();
        _loop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>A port on 127.0.0.1 where nothing listens (bound then released).</summary>
    public static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>, sends <paramref name="data"/>, half-closes and reads everything back.</summary>
    public static async Task<byte[]> RoundTripAsync(int port, byte[] data)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port).WithTimeout();
        NetworkStream stream = tcp.GetStream();
        Task send = Task.Run(async () =>
        {
            await stream.WriteAsync(data);
            tcp.Client.Shutdown(SocketShutdown.Send);
        });
        using var received = new MemoryStream();
        await stream.CopyToAsync(received).WithTimeout();
        await send.WithTimeout();
        return received.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        List<Task> connections = [];
        try
        {
            while (true)
            {
                Socket socket = await _listener.AcceptSocketAsync(_stop.Token);
                Interlocked.Increment(ref _accepted);
                connections.Add(EchoAsync(socket));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        catch (InvalidOperationException) when (_stop.IsCancellationRequested)
        {
            // Stopped between two accepts: the listener is no longer listening.
        }

        await Task.WhenAll(connections);
    }

    private async Task EchoAsync(Socket socket)
    {
        using (socket)
        {
            byte[] buffer = new byte[64 * 1024];
            try
            {
                int n;
                while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
                {
                    await socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token);
                }

                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
            }
        }
    }
}
