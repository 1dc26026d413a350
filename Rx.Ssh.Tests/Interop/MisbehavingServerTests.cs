using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Text;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Interop;

/// <summary>Servers that lie, stall or corrupt: the client fails with a typed error, never hangs.</summary>
[Collection(SshdCollection.Name)]
public sealed class MisbehavingServerTests
{
    private readonly SshdServer _server;

    public MisbehavingServerTests(SshdFixture fixture) => _server = fixture.Server;

    private static SshClientOptions Options(TimeSpan? login = null) => new()
    {
        UseDefaultKeys = false,
        HostKeyVerifier = InsecureAcceptAnyHostKey.Instance,
        LoginTimeout = login ?? TestTimeout.Default,
    };

    /// <summary>A one-connection fake server on loopback running <paramref name="behave"/>.</summary>
    private static async Task<SshConnectionException> ConnectToFakeAsync(Func<NetworkStream, Task> behave, SshClientOptions options)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Task server = Task.Run(async () =>
        {
            using TcpClient peer = await listener.AcceptTcpClientAsync();
            await behave(peer.GetStream());
        });
        SshConnectionException error = await Assert.ThrowsAnyAsync<SshConnectionException>(
            () => SshClient.ConnectAsync("127.0.0.1", port, options).WaitAsync(TestTimeout.Long));
        await server.WaitAsync(TestTimeout.Long);
        return error;
    }

    [Fact]
    public async Task Garbage_instead_of_a_version_line()
    {
        SshConnectionException error = await ConnectToFakeAsync(async s =>
        {
            await s.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\n\r\n"));
        }, Options());
        Assert.Equal(DisconnectReason.ProtocolVersionNotSupported, error.Reason);
        Assert.Contains("HTTP/1.1 400", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ssh1_server_is_refused()
    {
        SshConnectionException error = await ConnectToFakeAsync(async s =>
        {
            await s.WriteAsync(Encoding.ASCII.GetBytes("SSH-1.5-Old\r\n"));
            await ReadUntilClosedAsync(s);
        }, Options());
        Assert.Equal(DisconnectReason.ProtocolVersionNotSupported, error.Reason);
    }

    [Fact]
    public async Task Server_that_stalls_mid_handshake_times_out()
    {
        SshConnectionException error = await ConnectToFakeAsync(async s =>
        {
            await s.WriteAsync(Encoding.ASCII.GetBytes("SSH-2.0-Staller\r\n"));
            await ReadUntilClosedAsync(s);
        }, Options(TimeSpan.FromSeconds(1)));
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lying_packet_length_is_a_protocol_error()
    {
        SshConnectionException error = await ConnectToFakeAsync(async s =>
        {
            await s.WriteAsync(Encoding.ASCII.GetBytes("SSH-2.0-Liar\r\n"));
            await s.WriteAsync(new byte[] { 0x7f, 0xff, 0xff, 0xf0, 4, 20, 0, 0, 0, 0, 0, 0 });
            await ReadUntilClosedAsync(s);
        }, Options());
        Assert.Equal(DisconnectReason.ProtocolError, error.Reason);
        Assert.Contains("packet length", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_kex_message_before_key_exchange_is_a_protocol_error()
    {
        SshConnectionException error = await ConnectToFakeAsync(async s =>
        {
            await s.WriteAsync(Encoding.ASCII.GetBytes("SSH-2.0-Early\r\n"));
            // packet_length 12, padding 6, payload: SSH_MSG_CHANNEL_DATA-ish garbage (5 bytes)
            await s.WriteAsync(new byte[] { 0, 0, 0, 12, 6, 94, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 });
            await ReadUntilClosedAsync(s);
        }, Options());
        Assert.Equal(DisconnectReason.ProtocolError, error.Reason);
    }

    [Fact]
    public async Task Corrupted_packet_after_key_exchange_is_a_mac_error()
    {
        // A proxy to the real sshd that flips one byte deep in the server-to-client stream.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        Task proxy = Task.Run(async () =>
        {
            using TcpClient client = await listener.AcceptTcpClientAsync();
            using var upstream = new TcpClient();
            await upstream.ConnectAsync(SshdServer.Host, _server.Port);
            NetworkStream c = client.GetStream(), u = upstream.GetStream();
            Task up = PumpAsync(c, u, flipAt: -1);
            Task down = PumpAsync(u, c, flipAt: 200_000);
            await Task.WhenAny(up, down);
        });

        SshClientOptions options = ClientInterop.Options(_server) with { HostKeyVerifier = InsecureAcceptAnyHostKey.Instance };
        await using SshClientConnection conn = await SshClient.ConnectAsync("127.0.0.1", port, options).WaitAsync(TestTimeout.Long);
        await Assert.ThrowsAnyAsync<SshException>(() => conn.RunAsync("head -c 1000000 /dev/zero").WaitAsync(TestTimeout.Long));
        Exception? ended = await conn.Completion.WaitAsync(TestTimeout.Long);
        Assert.Equal(DisconnectReason.MacError, Assert.IsType<SshConnectionException>(ended).Reason);
        await proxy.WaitAsync(TestTimeout.Long);
    }

    private static async Task PumpAsync(Stream from, Stream to, long flipAt)
    {
        byte[] buffer = new byte[16384];
        long total = 0;
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer)) > 0)
            {
                if (flipAt >= total && flipAt < total + n)
                {
                    buffer[flipAt - total] ^= 0x40;
                }

                total += n;
                await to.WriteAsync(buffer.AsMemory(0, n));
            }
        }
        catch (IOException)
        {
        }
        finally
        {
            to.Close();
        }
    }

    private static async Task ReadUntilClosedAsync(Stream s)
    {
        byte[] buffer = new byte[4096];
        try
        {
            while (await s.ReadAsync(buffer) > 0)
            {
            }
        }
        catch (IOException)
        {
        }
    }
}
