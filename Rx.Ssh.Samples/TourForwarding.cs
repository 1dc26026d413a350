using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Rx.Ssh.Samples;

/// <summary>
/// The tour's forwarding part: two small TCP services on 127.0.0.1 (a web server answering any
/// request with one fixed response, and an echo service) as the samples' destinations, and for each
/// long-running sample a drive: connect through the forward it set up, check the bytes that come
/// back, then end the SSH connection (the server disconnects it) so that the sample exits.
/// </summary>
internal sealed class TourForwarding : IAsyncDisposable
{
    /// <summary>What the tour's web server answers to any request (read to EOF or a blank line).</summary>
    public const string Response = "HTTP/1.0 200 OK\r\nServer: rx-ssh-tour\r\n\r\n";

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly LoopbackService _web = new(ServeWebAsync);
    private readonly LoopbackService _echo = new(EchoAsync);

    /// <summary>
    /// Each forwarding sample: how its context points at the services, the exit code and output it
    /// must have, and the drive that uses the forward while it runs (null: it exits by itself).
    /// </summary>
    public IEnumerable<(string Name, Func<SampleContext, SampleContext> Configure, int ExitCode, string[] MustContain, Func<TourDrive, Task<string>>? Drive)> Steps()
    {
        int web = _web.Port;
        int echo = _echo.Port;
        yield return ("local_forwarding_client", c => c with { ListenPort = FreePort(), DestPort = web }, 0, [Response], d => d.RequestAsync(d.Context.ListenPort!.Value));
        yield return ("local_forwarding_client2", c => c with { DestPort = web }, 0, ["Listening on port ", Response], async d => await d.RequestAsync(await d.PrintedPortAsync()));
        yield return ("remote_forwarding_client", c => c with { ListenPort = FreePort(), DestPort = echo }, 0, ["echoed: tour"], d => d.EchoAsync(d.Context.ListenPort!.Value));
        yield return ("remote_forwarding_client2", c => c with { ListenPort = FreePort(), DestPort = echo }, 0, ["echoed: tour"], d => d.EchoAsync(d.Context.ListenPort!.Value));
        yield return ("direct_client", c => c with { DestPort = web }, 0, [Response], null);
        yield return ("stream_direct_client", c => c with { DestPort = web }, 0, [Response], null);
        yield return ("listening_client", c => c with { ListenPort = FreePort() }, 0, ["Connection received from 127.0.0.1, port ", "echoed: tour"], d => d.EchoAsync(d.Context.ListenPort!.Value));
        yield return ("stream_listening_client", c => c with { ListenPort = FreePort() }, 0, ["echoed: tour"], d => d.EchoAsync(d.Context.ListenPort!.Value));
    }

    public async ValueTask DisposeAsync()
    {
        await _web.DisposeAsync();
        await _echo.DisposeAsync();
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static async Task ServeWebAsync(Socket socket, CancellationToken cancellationToken)
    {
        var request = new StringBuilder();
        var buffer = new byte[4096];
        int n;
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal) && (n = await socket.ReceiveAsync(buffer, cancellationToken)) > 0)
        {
            request.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        await SendAsync(socket, Encoding.ASCII.GetBytes(Response), cancellationToken);
        socket.Shutdown(SocketShutdown.Send);
    }

    private static async Task EchoAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, cancellationToken)) > 0)
        {
            await SendAsync(socket, buffer.AsMemory(0, n), cancellationToken);
        }

        socket.Shutdown(SocketShutdown.Send);
    }

    private static async Task SendAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            data = data[await socket.SendAsync(data, cancellationToken)..];
        }
    }

    /// <summary>One running sample the tour drives: its context and what it printed so far.</summary>
    internal sealed class TourDrive(SampleContext context, Func<string> output, Task<int> exit)
    {
        public SampleContext Context => context;

        /// <summary>The port local_forwarding_client2 printed (<c>Listening on port N...</c>).</summary>
        public Task<int> PrintedPortAsync() => UntilAsync(() =>
        {
            string text = output();
            int at = text.IndexOf("Listening on port ", StringComparison.Ordinal);
            int end = at < 0 ? -1 : text.IndexOf("...", at, StringComparison.Ordinal);
            return Task.FromResult<int?>(end < 0 ? null : int.Parse(text.AsSpan(at + 18, end - at - 18), System.Globalization.CultureInfo.InvariantCulture));
        });

        /// <summary>Sends a HEAD request through the forward on <paramref name="port"/> and returns the answer.</summary>
        public async Task<string> RequestAsync(int port)
        {
            using Socket socket = await ConnectAsync(port);
            return "forwarded answer: " + await ExchangeAsync(socket, "HEAD / HTTP/1.0\r\n\r\n");
        }

        /// <summary>Sends <c>tour</c> through the forward on <paramref name="port"/> to an echo and returns what came back.</summary>
        public async Task<string> EchoAsync(int port)
        {
            using Socket socket = await ConnectAsync(port);
            return "echoed: " + await ExchangeAsync(socket, "tour") + "\n";
        }

        /// <summary>
        /// Connects once the sample listens: these samples print nothing when they start (as their
        /// originals), so a refused connect is retried until accepted, or the sample exits, or the deadline.
        /// </summary>
        private Task<Socket> ConnectAsync(int port) => UntilAsync(async () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
                return socket;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
            {
                socket.Dispose();
                return null;
            }
        });

        private static async Task<string> ExchangeAsync(Socket socket, string text)
        {
            await SendAsync(socket, Encoding.ASCII.GetBytes(text), CancellationToken.None);
            socket.Shutdown(SocketShutdown.Send);
            using var timeout = new CancellationTokenSource(Deadline);
            var received = new MemoryStream();
            var buffer = new byte[8192];
            int n;
            while ((n = await socket.ReceiveAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, n);
            }

            return Encoding.ASCII.GetString(received.ToArray());
        }

        private async Task<T> UntilAsync<T>(Func<Task<T?>> attempt)
            where T : class
        {
            using var deadline = new CancellationTokenSource(Deadline);
            while (true)
            {
                if (await attempt() is { } result)
                {
                    return result;
                }

                if (await Task.WhenAny(exit, Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token)) == exit)
                {
                    throw new InvalidOperationException("the sample exited before it was ready");
                }
            }
        }

        private async Task<int> UntilAsync(Func<Task<int?>> attempt)
        {
            using var deadline = new CancellationTokenSource(Deadline);
            while (true)
            {
                if (await attempt() is int result)
                {
                    return result;
                }

                if (await Task.WhenAny(exit, Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token)) == exit)
                {
                    throw new InvalidOperationException("the sample exited before it was ready");
                }
            }
        }
    }

    /// <summary>A TCP service on 127.0.0.1, a free port, running a handler per connection until disposed.</summary>
    private sealed class LoopbackService : IAsyncDisposable
    {
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _accepting;

        public LoopbackService(Func<Socket, CancellationToken, Task> handler)
        {
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(64);
            Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
            _accepting = AcceptAsync(handler);
        }

        public int Port { get; }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Dispose();
            await _accepting;
            _stop.Dispose();
        }

        private async Task AcceptAsync(Func<Socket, CancellationToken, Task> handler)
        {
            while (true)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }

                _ = RunAsync(socket, handler);
            }
        }

        private async Task RunAsync(Socket socket, Func<Socket, CancellationToken, Task> handler)
        {
            using (socket)
            {
                try
                {
                    await handler(socket, _stop.Token);
                }
                catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
                {
                    // The tour ended.
                }
            }
        }
    }
}
