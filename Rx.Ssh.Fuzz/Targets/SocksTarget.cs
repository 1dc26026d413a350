using System.Net;
using System.Net.Sockets;
using Rx.Ssh.Forwarding;
using Rx.Ssh.Fuzz.Engine;

namespace Rx.Ssh.Fuzz.Targets;

/// <summary>
/// A SOCKS client's request into our dynamic forwarder's handshake over a real loopback socket:
/// SOCKS4, 4a and 5 (no-auth; IPv4, IPv6, domain), every channel open refused as a server would.
/// The client's socket sends the input and half-closes, so a truncated request ends in EOF, not a wait.
/// </summary>
internal sealed class SocksTarget : FuzzTarget
{
    private readonly Lazy<TcpListener> _listener = new(() =>
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    });

    public override string Name => "socks";

    public override IReadOnlyList<byte[]> Dictionary => [[4], [5], [1], [3], [0], [0xFF]];

    public override IEnumerable<byte[]> Seeds()
    {
        yield return [4, 1, 0, 80, 127, 0, 0, 1, (byte)'u', 0];
        yield return [4, 1, 0, 80, 0, 0, 0, 1, (byte)'u', 0, .. "example.com"u8, 0];
        yield return [5, 1, 0, 5, 1, 0, 1, 127, 0, 0, 1, 0, 80];
        yield return [5, 2, 0, 2, 5, 1, 0, 3, 11, .. "example.com"u8, 1, 187];
        yield return [5, 1, 0, 5, 1, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 22];
    }

    public override void Run(byte[] input) => RunAsync(input).GetAwaiter().GetResult();

    public override bool IsExpected(Exception error) => error is SshException or IOException or SocketException or OperationCanceledException;

    private async Task RunAsync(byte[] input)
    {
        TcpListener listener = _listener.Value;
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Task<Socket> accepting = listener.AcceptSocketAsync();
        await client.ConnectAsync(listener.LocalEndpoint);
        using Socket server = await accepting;
        await client.SendAsync(input);
        client.Shutdown(SocketShutdown.Send);
        await SocksHandshake.RunAsync(
            server,
            (host, port, ct) => Task.FromException<SshChannelStream>(new SshChannelOpenException(ChannelOpenFailureReason.ConnectFailed, $"fuzz: {host}:{port} refused")),
            CancellationToken.None);
    }
}
