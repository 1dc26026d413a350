using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Interop;

namespace Rx.Ssh.Tests.Forwarding;

/// <summary>direct-tcpip and direct-streamlocal channels against OpenSSH's sshd (issue 12).</summary>
[Collection(SshdCollection.Name)]
public sealed class DirectChannelInteropTests
{
    private readonly SshdServer _server;

    public DirectChannelInteropTests(SshdFixture fixture) => _server = fixture.Server;

    [Fact]
    public async Task A_direct_tcp_channel_echoes_through_the_server()
    {
        await using TestTcpService echo = TestTcpService.Echo();
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        await using SshChannelStream channel = await conn.OpenDirectTcpAsync("127.0.0.1", echo.Port).WithTimeout();
        Assert.Equal("direct-tcpip", channel.ChannelType);
        await channel.WriteAsync(Encoding.ASCII.GetBytes("hello through sshd"));
        await channel.CompleteWritingAsync();
        Assert.Equal("hello through sshd", await ReadTextToEndAsync(channel).WithTimeout());
    }

    [Fact]
    public async Task Eof_to_the_destination_keeps_its_reply_coming()
    {
        await using TestTcpService service = TestTcpService.CountThenReply();
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        await using SshChannelStream channel = await conn.OpenDirectTcpAsync("127.0.0.1", service.Port).WithTimeout();
        await channel.WriteAsync(new byte[12345]);
        await channel.CompleteWritingAsync();
        Assert.Equal("got 12345", await ReadTextToEndAsync(channel).WithTimeout());
    }

    [Fact]
    public async Task Eof_from_the_destination_keeps_our_sending_side_open()
    {
        var received = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using TestTcpService service = TestTcpService.Tcp(async (socket, ct) =>
        {
            await TestTcpService.SendAllAsync(socket, Encoding.ASCII.GetBytes("ready"), ct);
            socket.Shutdown(SocketShutdown.Send);
            var buffer = new byte[8192];
            long total = 0;
            int n;
            while ((n = await socket.ReceiveAsync(buffer, ct)) > 0)
            {
                total += n;
            }

            received.TrySetResult(total);
        });
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        await using SshChannelStream channel = await conn.OpenDirectTcpAsync("127.0.0.1", service.Port).WithTimeout();
        Assert.Equal("ready", await ReadTextToEndAsync(channel).WithTimeout());
        await channel.WriteAsync(new byte[50000]);
        await channel.CompleteWritingAsync();
        Assert.Equal(50000, await received.Task.WithTimeout());
    }

    [Fact]
    public async Task Sixty_four_mebibytes_go_each_way_intact()
    {
        const long size = 64L * 1024 * 1024;
        var uploaded = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using TestTcpService service = TestTcpService.Tcp(async (socket, ct) =>
        {
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            Task sending = Task.Run(
                async () =>
                {
                    await new GeneratedStream(size, seed: 2).CopyToAsync(stream, ct);
                    socket.Shutdown(SocketShutdown.Send);
                },
                ct);
            await using var sink = new Sha256Sink();
            await stream.CopyToAsync(sink, ct);
            await sending;
            uploaded.TrySetResult(sink.GetHash());
        });
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        await using SshChannelStream channel = await conn.OpenDirectTcpAsync("127.0.0.1", service.Port).WithTimeout();
        await using var downloaded = new Sha256Sink();
        Task download = channel.CopyToAsync(downloaded);
        await new GeneratedStream(size, seed: 1).CopyToAsync(channel).WithTimeout(TimeSpan.FromMinutes(2));
        await channel.CompleteWritingAsync();
        await download.WithTimeout(TimeSpan.FromMinutes(2));
        Assert.Equal(size, downloaded.BytesWritten);
        Assert.Equal(GeneratedStream.ComputeSha256(size, seed: 2), downloaded.GetHash());
        Assert.Equal(GeneratedStream.ComputeSha256(size, seed: 1), await uploaded.Task.WithTimeout());
    }

    [Fact]
    public async Task An_unreachable_destination_is_connect_failed_and_the_connection_lives_on()
    {
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0)); // bound, never listening: connections are refused
        int port = ((IPEndPoint)closed.LocalEndPoint!).Port;
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        SshChannelOpenException error = await Assert.ThrowsAsync<SshChannelOpenException>(() => conn.OpenDirectTcpAsync("127.0.0.1", port).WithTimeout());
        Assert.Equal(ChannelOpenFailureReason.ConnectFailed, error.Reason);
        Assert.False(string.IsNullOrEmpty(error.Description));
        SshCompletedProcess after = await conn.Run("echo still here").WithTimeout();
        Assert.Equal("still here\n", after.Stdout);
    }

    [Fact]
    public async Task A_direct_streamlocal_channel_reaches_a_unix_socket_on_the_server()
    {
        string path = Path.Combine(Path.GetTempPath(), $"rxssh-{Guid.NewGuid():N}.sock");
        await using TestTcpService echo = TestTcpService.Unix(path, TestTcpService.EchoAsync);
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        await using SshChannelStream channel = await conn.OpenDirectStreamLocalAsync(path).WithTimeout();
        Assert.Equal("direct-streamlocal@openssh.com", channel.ChannelType);
        await channel.WriteAsync(Encoding.ASCII.GetBytes("over unix"));
        await channel.CompleteWritingAsync();
        Assert.Equal("over unix", await ReadTextToEndAsync(channel).WithTimeout());
    }

    [Fact]
    public async Task The_observable_form_writes_the_input_and_emits_what_comes_back()
    {
        await using TestTcpService service = TestTcpService.CountThenReply();
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        IObservable<ReadOnlyMemory<byte>> input = new[] { "abc", "defgh" }.Select(s => (ReadOnlyMemory<byte>)Encoding.ASCII.GetBytes(s)).ToObservable();
        IList<ReadOnlyMemory<byte>> chunks = await conn.DirectTcp("127.0.0.1", service.Port, input).ToList().ToTask().WithTimeout();
        Assert.Equal("got 8", string.Concat(chunks.Select(c => Encoding.ASCII.GetString(c.Span))));
    }

    [Fact]
    public async Task The_observable_form_fails_with_the_refusal()
    {
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        SshChannelOpenException error = await Assert.ThrowsAsync<SshChannelOpenException>(
            () => conn.DirectTcp("127.0.0.1", ((IPEndPoint)closed.LocalEndPoint!).Port, Observable.Empty<ReadOnlyMemory<byte>>()).ToTask().WithTimeout());
        Assert.Equal(ChannelOpenFailureReason.ConnectFailed, error.Reason);
    }

    internal static async Task<string> ReadTextToEndAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return Encoding.ASCII.GetString(copy.ToArray());
    }
}
