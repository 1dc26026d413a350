using System.Buffers;
using System.Buffers.Binary;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Forwarding;

/// <summary>Our server's public API plays the forwarding server: forwarded channels match the listener that asked, others are refused (issue 12).</summary>
public sealed class ForwardedChannelMatchingTests
{
    private static byte[] ForwardedTcpip(string host, int port)
    {
        var buffer = new ArrayBufferWriter<byte>();
        void String(string s)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(s);
            BinaryPrimitives.WriteUInt32BigEndian(buffer.GetSpan(4), (uint)bytes.Length);
            buffer.Advance(4);
            buffer.Write(bytes);
        }

        void UInt32(uint v)
        {
            BinaryPrimitives.WriteUInt32BigEndian(buffer.GetSpan(4), v);
            buffer.Advance(4);
        }

        String(host);
        UInt32((uint)port);
        String("192.0.2.7");
        UInt32(40000);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public async Task A_forwarded_channel_for_a_port_nobody_asked_for_is_administratively_prohibited()
    {
        var replyPort = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(replyPort, 4242);

        // The server's own tcpip-forward handling is replaced by one that only answers: the test opens the forwarded channels itself.
        var options = InMemoryServer.DefaultServerOptions() with
        {
            GlobalRequestHandlers = new Dictionary<string, SshGlobalRequestHandler>
            {
                ["tcpip-forward"] = (_, _) => ValueTask.FromResult(SshGlobalReply.Succeeded(replyPort)),
            },
        };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(options);
        using var events = new ObservableCollector<SshRemoteForwardEvent>(pair.Client.ListenRemotePort("localhost", 0));
        var started = Assert.IsType<SshRemoteForwardStarted>(await events.NextAsync());
        Assert.Equal(4242, started.Port);

        SshChannelOpenException error = await Assert.ThrowsAsync<SshChannelOpenException>(() => pair.Server.OpenChannelAsync("forwarded-tcpip", ForwardedTcpip("localhost", 5555)).WithTimeout());
        Assert.Equal(ChannelOpenFailureReason.AdministrativelyProhibited, error.Reason);

        Task<SshChannelStream> opening = pair.Server.OpenChannelAsync("forwarded-tcpip", ForwardedTcpip("localhost", 4242));
        var request = Assert.IsType<SshRemoteForwardRequest>(await events.NextAsync());
        Assert.Equal("192.0.2.7", request.OriginatorHost);
        Assert.Equal(40000, request.OriginatorPort);
        await using SshChannelStream client = request.Accept();
        await using SshChannelStream server = await opening.WithTimeout();
        await server.WriteAsync(Encoding.ASCII.GetBytes("ping"));
        await server.CompleteWritingAsync();
        Assert.Equal("ping", await DirectChannelInteropTests.ReadTextToEndAsync(client).WithTimeout());
    }

    /// <summary>AsyncSSH's server (2.10) reports port 0, the port asked for, instead of the one it allocated.</summary>
    [Fact]
    public async Task A_forwarded_channel_reporting_port_0_goes_to_the_listener_that_asked_for_port_0()
    {
        var options = InMemoryServer.DefaultServerOptions() with
        {
            GlobalRequestHandlers = new Dictionary<string, SshGlobalRequestHandler>
            {
                ["tcpip-forward"] = (request, _) =>
                {
                    // Port 0 gets 4242; a fixed port is granted as asked.
                    bool dynamic = BinaryPrimitives.ReadUInt32BigEndian(request.Data.Span[^4..]) == 0;
                    var reply = new byte[4];
                    BinaryPrimitives.WriteUInt32BigEndian(reply, 4242);
                    return ValueTask.FromResult(dynamic ? SshGlobalReply.Succeeded(reply) : SshGlobalReply.Succeeded());
                },
            },
        };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(options);
        using var fixedPort = new ObservableCollector<SshRemoteForwardEvent>(pair.Client.ListenRemotePort("localhost", 8080));
        Assert.IsType<SshRemoteForwardStarted>(await fixedPort.NextAsync());
        using var dynamicPort = new ObservableCollector<SshRemoteForwardEvent>(pair.Client.ListenRemotePort("localhost", 0));
        Assert.Equal(4242, Assert.IsType<SshRemoteForwardStarted>(await dynamicPort.NextAsync()).Port);

        Task<SshChannelStream> opening = pair.Server.OpenChannelAsync("forwarded-tcpip", ForwardedTcpip("localhost", 0));
        var request = Assert.IsType<SshRemoteForwardRequest>(await dynamicPort.NextAsync());
        await using SshChannelStream client = request.Accept();
        await using SshChannelStream server = await opening.WithTimeout();
        await server.WriteAsync(Encoding.ASCII.GetBytes("dynamic"));
        await server.CompleteWritingAsync();

        Assert.Equal("dynamic", await DirectChannelInteropTests.ReadTextToEndAsync(client).WithTimeout());
        Assert.False(fixedPort.TryNext(out _)); // the port-0 channel did not go to the fixed-port listener
    }

    [Fact]
    public async Task A_refused_listen_request_fails_the_subscription()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync();
        await Assert.ThrowsAsync<SshForwardingException>(async () => await pair.Client.ListenRemotePort("", 8080).FirstAsync().ToTask().WithTimeout());
        SshChannelOpenException error = await Assert.ThrowsAsync<SshChannelOpenException>(() => pair.Server.OpenChannelAsync("forwarded-tcpip", ForwardedTcpip("", 8080)).WithTimeout());
        Assert.Equal(ChannelOpenFailureReason.AdministrativelyProhibited, error.Reason);
    }
}
