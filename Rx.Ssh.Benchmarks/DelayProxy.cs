using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

/// <summary>
/// A TCP relay on 127.0.0.1 that holds every chunk for a fixed one-way delay before passing it
/// on, in each direction, so a loopback benchmark sees a link with a round-trip time
/// (<c>--rtt-ms</c>) without root or netem. It does not limit bandwidth: chunks are read as soon as
/// they arrive and queued with their due time, so what it holds is what the protocols have in
/// flight (their windows bound it). Each connection is relayed to <c>127.0.0.1:targetPort</c>;
/// disposal stops listening and closes every relayed connection. The benchmark runs it in a child
/// process (<see cref="DelayProxyProcess"/>), so its copies and buffers do not count as the client's.
/// </summary>
internal sealed class DelayProxy : IAsyncDisposable
{
    private const int ChunkSize = 64 * 1024;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly TimeSpan _oneWay;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _relays = [];
    private readonly Task _accepting;

    private DelayProxy(int targetPort, TimeSpan oneWay)
    {
        _targetPort = targetPort;
        _oneWay = oneWay;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The port clients connect to.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Starts relaying to <paramref name="targetPort"/> with half of <paramref name="roundTrip"/> each way.</summary>
    public static DelayProxy Start(int targetPort, TimeSpan roundTrip) => new(targetPort, roundTrip / 2);

    /// <summary>The child process's main (<c>--delay-proxy TARGET RTT_MS</c>): prints <c>port P</c>, relays until standard input closes.</summary>
    public static async Task<int> RunAsync(int targetPort, int roundTripMs)
    {
        await using DelayProxy proxy = Start(targetPort, TimeSpan.FromMilliseconds(roundTripMs));
        Console.WriteLine($"port {proxy.Port}");
        await Console.In.ReadToEndAsync();
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        Task[] relays;
        lock (_relays)
        {
            relays = [.. _relays];
        }

        await Task.WhenAll(relays).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_relays)
            {
                _relays.RemoveAll(t => t.IsCompleted);
                _relays.Add(RelayAsync(client));
            }
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using (client)
        using (var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            client.NoDelay = true;
            server.NoDelay = true;
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token).ConfigureAwait(false);
                await Task.WhenAll(PumpAsync(client, server), PumpAsync(server, client)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The benchmark ended the connection, or the proxy stopped.
            }
        }
    }

    /// <summary>One direction: reads chunks as they come and writes each one <see cref="_oneWay"/> after it was read; EOF passes on the same way.</summary>
    private async Task PumpAsync(Socket from, Socket to)
    {
        Channel<(long Due, byte[] Buffer, int Length)> queue = Channel.CreateUnbounded<(long, byte[], int)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        long delayTicks = (long)(_oneWay.TotalSeconds * Stopwatch.Frequency);

        async Task ReadAsync()
        {
            try
            {
                while (true)
                {
                    byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                    int n = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                    queue.Writer.TryWrite((Stopwatch.GetTimestamp() + delayTicks, buffer, n));
                    if (n == 0)
                    {
                        return;
                    }
                }
            }
            finally
            {
                queue.Writer.TryComplete();
            }
        }

        async Task WriteAsync()
        {
            await foreach ((long due, byte[] buffer, int length) in queue.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                TimeSpan wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _stop.Token).ConfigureAwait(false);
                }

                try
                {
                    if (length == 0)
                    {
                        to.Shutdown(SocketShutdown.Send);
                        return;
                    }

                    await to.SendAsync(buffer.AsMemory(0, length), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }

        Task reading = ReadAsync();
        Task writing = WriteAsync();
        try
        {
            await Task.WhenAll(reading, writing).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // One side went away: the other direction ends with it.
            from.Close();
            to.Close();
        }
    }
}

/// <summary>A <see cref="DelayProxy"/> in a child process; disposal closes its standard input and waits for it (killed by its PID if it does not end).</summary>
internal sealed class DelayProxyProcess : IAsyncDisposable
{
    private readonly System.Diagnostics.Process _process;

    private DelayProxyProcess(System.Diagnostics.Process process, int port)
    {
        _process = process;
        Port = port;
    }

    /// <summary>The port clients connect to.</summary>
    public int Port { get; }

    public static async Task<DelayProxyProcess> StartAsync(int targetPort, int roundTripMs)
    {
        System.Diagnostics.Process child = BenchmarkChild.Start("--delay-proxy", targetPort.ToString(System.Globalization.CultureInfo.InvariantCulture), roundTripMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new DelayProxyProcess(child, await BenchmarkChild.ReadPortAsync(child, "the delaying relay"));
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(); // this PID only
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

/// <summary>A server under test reached through a <see cref="DelayProxyProcess"/>: the same server, another port.</summary>
internal sealed record DelayedServer(IServerUnderTest Server, DelayProxyProcess Proxy) : IServerUnderTest
{
    public string Name => Server.Name;

    public int Port => Proxy.Port;

    public int ProcessId => Server.ProcessId;

    public BenchKeys Keys => Server.Keys;

    /// <summary>Stops the relay only: the server belongs to whoever started it.</summary>
    public ValueTask DisposeAsync() => Proxy.DisposeAsync();
}
