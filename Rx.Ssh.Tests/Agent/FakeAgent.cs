using System.Buffers.Binary;
using System.Net.Sockets;

namespace Rx.Ssh.Tests.Agent;

/// <summary>
/// A scripted agent on a UNIX socket in a private temporary directory: for each connection it reads
/// framed requests and hands each to <c>answer</c>, which writes whatever it likes back (garbage, a
/// lying length, nothing) through the socket. The listener and every accepted socket close on dispose.
/// </summary>
internal sealed class FakeAgent : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string _directory;
    private readonly Func<byte[], Socket, Task> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _accepted = [];
    private readonly Task _loop;

    public FakeAgent(Func<byte[], Socket, Task> answer)
    {
        _answer = answer;
        _directory = Directory.CreateTempSubdirectory("rxfa-").FullName;
        SocketPath = Path.Combine(_directory, "agent.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(8);
        _loop = AcceptLoopAsync();
    }

    /// <summary>The socket path.</summary>
    public string SocketPath { get; }

    /// <summary>The requests received, in order (type byte and contents).</summary>
    public List<byte[]> Requests { get; } = [];

    /// <summary>An answer of <paramref name="contents"/> framed correctly (length, then the bytes).</summary>
    public static byte[] Frame(params byte[] contents)
    {
        byte[] frame = new byte[4 + contents.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)contents.Length);
        contents.CopyTo(frame, 4);
        return frame;
    }

    /// <summary>An answer handler that sends <paramref name="bytes"/> raw, whatever was asked.</summary>
    public static Func<byte[], Socket, Task> Always(byte[] bytes) => async (_, socket) => await socket.SendAsync(bytes);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        lock (_accepted)
        {
            foreach (Socket s in _accepted)
            {
                s.Dispose();
            }
        }

        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task AcceptLoopAsync()
    {
        var served = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket socket = await _listener.AcceptAsync(_stop.Token);
                lock (_accepted)
                {
                    _accepted.Add(socket);
                }

                served.Add(ServeAsync(socket));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        await Task.WhenAll(served);
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            byte[] header = new byte[4];
            while (await ReadExactlyAsync(socket, header))
            {
                byte[] request = new byte[BinaryPrimitives.ReadUInt32BigEndian(header)];
                if (!await ReadExactlyAsync(socket, request))
                {
                    return;
                }

                lock (Requests)
                {
                    Requests.Add(request);
                }

                await _answer(request, socket);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task<bool> ReadExactlyAsync(Socket socket, byte[] buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None, _stop.Token);
            if (n == 0)
            {
                return false;
            }

            total += n;
        }

        return true;
    }
}
