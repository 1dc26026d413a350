using System.Net;
using System.Net.Sockets;

namespace Rx.Ssh.Tests.Forwarding;

/// <summary>
/// A small in-test service on 127.0.0.1 port 0 (or a UNIX socket path) running
/// <paramref name="handler"/> for each accepted connection; disposing stops it and closes what is open.
/// </summary>
internal sealed class TestTcpService : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<Socket, CancellationToken, Task> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private int _accepted;

    private TestTcpService(Socket listener, Func<Socket, CancellationToken, Task> handler, string? path)
    {
        _listener = listener;
        _handler = handler;
        Path = path;
        _accepting = AcceptAsync();
    }

    /// <summary>The TCP port (0 for a UNIX socket).</summary>
    public int Port => _listener.LocalEndPoint is IPEndPoint ip ? ip.Port : 0;

    /// <summary>The UNIX socket path, when it listens on one.</summary>
    public string? Path { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    /// <summary>Copies everything back until EOF, then half-closes.</summary>
    public static TestTcpService Echo() => Tcp(EchoAsync);

    /// <summary>Reads to EOF, then writes <c>got N</c> and closes: proves EOF one way keeps the other open.</summary>
    public static TestTcpService CountThenReply() => Tcp(CountThenReplyAsync);

    public static TestTcpService Tcp(Func<Socket, CancellationToken, Task> handler) => Tcp(IPAddress.Loopback, handler);

    /// <summary>An echo service on <c>::1</c>, port 0.</summary>
    public static TestTcpService EchoOnIPv6Loopback() => Tcp(IPAddress.IPv6Loopback, EchoAsync);

    public static TestTcpService Tcp(IPAddress address, Func<Socket, CancellationToken, Task> handler)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, 0));
        listener.Listen(512);
        return new TestTcpService(listener, handler, null);
    }

    public static TestTcpService Unix(string path, Func<Socket, CancellationToken, Task> handler)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(64);
        return new TestTcpService(listener, handler, path);
    }

    public static async Task EchoAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, cancellationToken)) > 0)
        {
            await SendAllAsync(socket, buffer.AsMemory(0, n), cancellationToken);
        }

        socket.Shutdown(SocketShutdown.Send);
    }

    public static async Task CountThenReplyAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = await socket.ReceiveAsync(buffer, cancellationToken)) > 0)
        {
            total += n;
        }

        await SendAllAsync(socket, System.Text.Encoding.ASCII.GetBytes($"got {total}"), cancellationToken);
        socket.Shutdown(SocketShutdown.Send);
    }

    public static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            int sent = await socket.SendAsync(data, cancellationToken);
            data = data[sent..];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        Task[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }

        await Task.WhenAll(open).ContinueWith(_ => { }, TaskScheduler.Default);
        if (Path is not null)
        {
            File.Delete(Path);
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket = await _listener.AcceptAsync(_stop.Token);
            Interlocked.Increment(ref _accepted);
            lock (_connections)
            {
                _connections.Add(RunAsync(socket));
            }
        }
    }

    private async Task RunAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                await _handler(socket, _stop.Token);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The test ended the connection.
            }
        }
    }
}
