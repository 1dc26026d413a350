using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Text;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Tests.Server.Forwarding;

/// <summary>
/// The server's forwarding policy over an in-memory pair, driven through the public channel and
/// global request API as a client would: direct channels allowed, handled in process (stream and
/// observable forms) or refused; the forwarded-channel cap; listen requests bound (port 0 answered
/// with the port), forwarded back as <c>forwarded-tcpip</c>, cancelled and unbound on disconnect.
/// </summary>
public sealed class ServerForwardingTests
{
    internal static byte[] DirectTcpip(string host, int port, string originator = "127.0.0.1", int originatorPort = 40000)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new SshWriter(buffer);
        w.WriteString(host);
        w.WriteUInt32((uint)port);
        w.WriteString(originator);
        w.WriteUInt32((uint)originatorPort);
        return buffer.WrittenSpan.ToArray();
    }

    internal static byte[] Listen(string host, int port)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var w = new SshWriter(buffer);
        w.WriteString(host);
        w.WriteUInt32((uint)port);
        return buffer.WrittenSpan.ToArray();
    }

    private static SshServerOptions Options(Func<SshDirectForwardRequest, ValueTask<SshForwardDecision>>? direct = null, Func<SshListenRequest, ValueTask<bool>>? listen = null, LogCollector? logs = null) =>
        InMemoryServer.DefaultServerOptions() with { DirectForwardPolicy = direct, ListenPolicy = listen, LoggerFactory = logs };

    /// <summary>The server's log entries with <paramref name="id"/> so far (listeners bound, unbound).</summary>
    internal static LogEntry[] Logged(LogCollector logs, EventId id) => [.. logs.Entries.Where(e => e.EventId == id)];

    private static async Task<string> RoundTripAsync(SshChannelStream channel, string text)
    {
        await channel.WriteAsync(Encoding.UTF8.GetBytes(text));
        await channel.CompleteWritingAsync();
        using var received = new MemoryStream();
        await channel.CopyToAsync(received).WithTimeout();
        return Encoding.UTF8.GetString(received.ToArray());
    }

    private static async Task StreamEchoAsync(SshChannelStream channel, CancellationToken cancellationToken)
    {
        await channel.CopyToAsync(channel, cancellationToken);
        await channel.CompleteWritingAsync(cancellationToken);
    }

    [Fact]
    public async Task Direct_tcpip_is_refused_by_default_with_administratively_prohibited()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(Options());

        SshChannelOpenException refused = await Assert.ThrowsAsync<SshChannelOpenException>(() => pair.Client.OpenChannelAsync("direct-tcpip", DirectTcpip("127.0.0.1", 80)).WithTimeout());

        Assert.Equal(ChannelOpenFailureReason.AdministrativelyProhibited, refused.Reason);
        Assert.Contains("not allowed", refused.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handled_in_process_stream_form_echoes_and_a_refusal_leaves_the_connection_working()
    {
        SshDirectForwardRequest? seen = null;
        await using InMemoryServer pair = await InMemoryServer.StartAsync(Options(direct: r =>
        {
            seen = r;
            return ValueTask.FromResult(r.Port == 7
                ? SshForwardDecision.Handle(StreamEchoAsync)
                : SshForwardDecision.Refuse(ChannelOpenFailureReason.AdministrativelyProhibited, $"no service on port {r.Port}"));
        }));

        SshChannelOpenException refused = await Assert.ThrowsAsync<SshChannelOpenException>(() => pair.Client.OpenChannelAsync("direct-tcpip", DirectTcpip("echo.internal", 9)).WithTimeout());
        Assert.Equal(ChannelOpenFailureReason.AdministrativelyProhibited, refused.Reason);
        Assert.Equal("no service on port 9", refused.Description);

        await using SshChannelStream channel = await pair.Client.OpenChannelAsync("direct-tcpip", DirectTcpip("echo.internal", 7, "10.1.2.3", 5555)).WithTimeout();
        Assert.Equal("hello through the server", await RoundTripAsync(channel, "hello through the server"));
        Assert.NotNull(seen);
        Assert.Equal(("echo.internal", 7, "10.1.2.3", 5555, "direct-tcpip"), (seen.Host, seen.Port, seen.OriginatorHost, seen.OriginatorPort, seen.ChannelType));
        Assert.Same(pair.Server, seen.Connection);
    }

    [Fact]
    public async Task Handled_in_process_observable_form_echoes()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(Options(direct: _ => ValueTask.FromResult(SshForwardDecision.Handle(async (channel, ct) =>
        {
            await channel.Events
                .TakeWhile(e => e is not SshChannelEofReceived)
                .OfType<SshChannelDataReceived>()
                .Select(d => Observable.FromAsync(token => channel.WriteAsync(d.Data, token).AsTask()))
                .Concat()
                .DefaultIfEmpty()
                .LastAsync()
                .ToTask(ct);
            await channel.CompleteWritingAsync(ct);
        }))));

        await using SshChannelStream channel = await pair.Client.OpenChannelAsync("direct-tcpip", DirectTcpip("echo", 7)).WithTimeout();

        Assert.Equal("observable echo", await RoundTripAsync(channel, "observable echo"));
    }

    [Fact]
    public async Task Allowed_direct_tcpip_connects_to_the_destination_and_reports_the_forward()
    {
        await using var echo = new EchoService();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(Options(direct: _ => ValueTask.FromResult(SshForwardDecision.Allow)));
        Task<SshForwardEnded> ended = pair.Server.ForwardsEnded.FirstAsync().ToTask().WithTimeout();

        await using (SshChannelStream channel = await pair.Client.OpenChannelAsync("direct-tcpip", DirectTcpip("127.0.0.1", echo.Port)).WithTimeout())
        {
            Assert.Equal("ping", await RoundTripAsync(channel, "ping"));
        }

        SshForwardEnded report = await ended;
        Assert.Equal(("direct-tcpip", $"127.0.0.1:{echo.Port}", "127.0.0.1:40000", 4L, 4L), (report.ChannelType, report.Target, report.Originator, report.BytesFromClient, report.BytesToClient));
        Assert.Null(report.Error);
    }

    [Fact]
    public async Task Unreachable_destination_is_refused_with_connect_failed_and_the_connection_lives_on()
    {
        await using var echo = new EchoService();
        int closed = EchoService.ClosedPort();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(Options(direct: _ => ValueTask.FromResult(SshForwardDecision.Allow)));

        SshChannelOpenException refused = await Assert.ThrowsAsync<SshChannelOpenException>(() => pair.Client.OpenChannelAsync("direct-tcpip", DirectTcpip("127.0.0.1", closed)).WithTimeout());

        Assert.Equal(ChannelOpenFailureReason.ConnectFailed, refused.Reason);
        Assert.StartsWith($"Connect to 127.0.0.1:{closed} failed: ", refused.Description, StringComparison.Ordinal);
        await using SshChannelStream channel = await pair.Client.OpenChannelAsync("direct-tcpip", DirectTcpip("127.0.0.1", echo.Port)).WithTimeout();
        Assert.Equal("still here", await RoundTripAsync(channel, "still here"));
    }

    [Fact]
    public async Task Malformed_direct_tcpip_data_is_refused_and_the_connection_lives_on()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(Options(direct: _ => ValueTask.FromResult(SshForwardDecision.Handle(StreamEchoAsync))));

        SshChannelOpenException refused = await Assert.ThrowsAsync<SshChannelOpenException>(() => pair.Client.OpenChannelAsync("direct-tcpip", new byte[] { 0, 0, 0, 9, 1 }).WithTimeout());

        Assert.Equal(ChannelOpenFailureReason.ConnectFailed, refused.Reason);
        await using SshChannelStream channel = await pair.Client.OpenChannelAsync("direct-tcpip", DirectTcpip("x", 1)).WithTimeout();
        Assert.Equal("ok", await RoundTripAsync(channel, "ok"));
    }

    [Fact]
    public async Task Forwarded_channels_past_the_cap_are_refused_with_resource_shortage()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(Options(direct: _ => ValueTask.FromResult(SshForwardDecision.Handle(StreamEchoAsync))) with { MaxForwardedChannels = 2 });
        await using SshChannelStream first = await pair.Client.OpenChannelAsync("direct-tcpip", DirectTcpip("a", 1)).WithTimeout();
        await using SshChannelStream second = await pair.Client.OpenChannelAsync("direct-tcpip", DirectTcpip("a", 2)).WithTimeout();

        SshChannelOpenException refused = await Assert.ThrowsAsync<SshChannelOpenException>(() => pair.Client.OpenChannelAsync("direct-tcpip", DirectTcpip("a", 3)).WithTimeout());

        Assert.Equal(ChannelOpenFailureReason.ResourceShortage, refused.Reason);
        Assert.Contains("At most 2 forwarded channels", refused.Description, StringComparison.Ordinal);
        Assert.Equal("first", await RoundTripAsync(first, "first"));
    }

    [Fact]
    public async Task Listen_is_refused_by_default()
    {
        var logs = new LogCollector();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(Options(logs: logs));

        SshGlobalReply reply = await pair.Client.SendGlobalRequestAsync("tcpip-forward", Listen("127.0.0.1", 0)).WithTimeout();

        Assert.False(reply.Success);
        Assert.Empty(Logged(logs, SshLogEvents.Forwarding.Listening));
    }

    [Fact]
    public async Task Listen_on_port_0_answers_the_port_forwards_each_connection_back_and_cancel_unbinds()
    {
        var opened = new TaskCompletionSource<(string Host, uint Port, string Originator, uint OriginatorPort)>(TaskCreationOptions.RunContinuationsAsynchronously);
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with
        {
            ChannelOpenHandlers = new Dictionary<string, SshChannelOpenHandler>
            {
                ["forwarded-tcpip"] = async (pending, ct) =>
                {
                    var r = new SshReader(pending.ExtraData.Span);
                    opened.TrySetResult((r.ReadUtf8String(), r.ReadUInt32(), r.ReadUtf8String(), r.ReadUInt32()));
                    await using SshChannelStream channel = pending.Accept();
                    await StreamEchoAsync(channel, ct);
                },
            },
        };
        var logs = new LogCollector();
        await using InMemoryServer pair = await InMemoryServer.StartAsync(Options(listen: r => ValueTask.FromResult(r.Host == "127.0.0.1"), logs: logs), client);

        SshGlobalReply reply = await pair.Client.SendGlobalRequestAsync("tcpip-forward", Listen("127.0.0.1", 0)).WithTimeout();
        Assert.True(reply.Success);
        int port = (int)new SshReader(reply.Data.Span).ReadUInt32();
        Assert.NotEqual(0, port);

        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, port).WithTimeout();
            NetworkStream stream = tcp.GetStream();
            await stream.WriteAsync("remote echo"u8.ToArray());
            tcp.Client.Shutdown(SocketShutdown.Send);
            using var received = new MemoryStream();
            await stream.CopyToAsync(received).WithTimeout();
            Assert.Equal("remote echo", Encoding.UTF8.GetString(received.ToArray()));
            var fields = await opened.Task.WithTimeout();
            Assert.Equal(("127.0.0.1", (uint)port, "127.0.0.1", (uint)((IPEndPoint)tcp.Client.LocalEndPoint!).Port), fields);
        }

        Assert.False((await pair.Client.SendGlobalRequestAsync("tcpip-forward", Listen("10.0.0.1", 0)).WithTimeout()).Success);
        Assert.False((await pair.Client.SendGlobalRequestAsync("cancel-tcpip-forward", Listen("127.0.0.1", port + 1 == 65536 ? 1 : port + 1)).WithTimeout()).Success);
        Assert.True((await pair.Client.SendGlobalRequestAsync("cancel-tcpip-forward", Listen("127.0.0.1", port)).WithTimeout()).Success);
        LogEntry stopped = Assert.Single(Logged(logs, SshLogEvents.Forwarding.StoppedListening));
        Assert.Equal((port, "cancelled", 0), (stopped.Value<int>("Port"), stopped.Value<string>("Reason"), stopped.Value<int>("Left")));
        await AssertRefusedAsync(port);
    }

    [Fact]
    public async Task Listeners_past_the_per_connection_cap_are_refused_and_a_cancel_makes_room()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(Options(listen: _ => ValueTask.FromResult(true)) with { MaxForwardListeners = 2 });
        SshGlobalReply first = await pair.Client.SendGlobalRequestAsync("tcpip-forward", Listen("127.0.0.1", 0)).WithTimeout();
        SshGlobalReply second = await pair.Client.SendGlobalRequestAsync("tcpip-forward", Listen("127.0.0.1", 0)).WithTimeout();
        Assert.True(first.Success && second.Success);

        Assert.False((await pair.Client.SendGlobalRequestAsync("tcpip-forward", Listen("127.0.0.1", 0)).WithTimeout()).Success);

        int port = (int)new SshReader(first.Data.Span).ReadUInt32();
        Assert.True((await pair.Client.SendGlobalRequestAsync("cancel-tcpip-forward", Listen("127.0.0.1", port)).WithTimeout()).Success);
        Assert.True((await pair.Client.SendGlobalRequestAsync("tcpip-forward", Listen("127.0.0.1", 0)).WithTimeout()).Success);
        Assert.Equal(16, new SshServerOptions().MaxForwardListeners);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SshServerOptions { MaxForwardListeners = -1 });
    }

    [Fact]
    public async Task Listeners_are_unbound_when_the_connection_ends()
    {
        var logs = new LogCollector();
        InMemoryServer pair = await InMemoryServer.StartAsync(Options(listen: _ => ValueTask.FromResult(true), logs: logs));
        SshServerConnection server = pair.Server;
        SshGlobalReply reply = await pair.Client.SendGlobalRequestAsync("tcpip-forward", Listen("localhost", 0)).WithTimeout();
        int port = (int)new SshReader(reply.Data.Span).ReadUInt32();
        Task forwardsDone = server.ForwardsEnded.DefaultIfEmpty().LastAsync().ToTask().WithTimeout();

        await pair.DisposeAsync();
        await forwardsDone;

        LogEntry stopped = Assert.Single(Logged(logs, SshLogEvents.Forwarding.StoppedListening));
        Assert.Equal((port, "the connection ended", 0), (stopped.Value<int>("Port"), stopped.Value<string>("Reason"), stopped.Value<int>("Left")));
        await AssertRefusedAsync(port);
    }

    [Fact]
    public async Task A_listen_address_already_bound_fails_the_request()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using InMemoryServer pair = await InMemoryServer.StartAsync(Options(listen: _ => ValueTask.FromResult(true)));

        SshGlobalReply reply = await pair.Client.SendGlobalRequestAsync("tcpip-forward", Listen("127.0.0.1", port)).WithTimeout();

        Assert.False(reply.Success);
        Assert.False((await pair.Client.SendGlobalRequestAsync("tcpip-forward", Listen("not-an-address.example", 0)).WithTimeout()).Success);
    }

    [Fact]
    public async Task Cancelling_a_forward_never_made_fails_and_the_connection_lives_on()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(Options(listen: _ => ValueTask.FromResult(true)));
        var path = new ArrayBufferWriter<byte>();
        new SshWriter(path).WriteString(Path.Combine(Path.GetTempPath(), $"rxssh-{Guid.NewGuid():N}.sock"));

        Assert.False((await pair.Client.SendGlobalRequestAsync("cancel-tcpip-forward", Listen("127.0.0.1", EchoService.ClosedPort())).WithTimeout()).Success);
        Assert.False((await pair.Client.SendGlobalRequestAsync("cancel-streamlocal-forward@openssh.com", path.WrittenSpan.ToArray()).WithTimeout()).Success);

        SshGlobalReply reply = await pair.Client.SendGlobalRequestAsync("tcpip-forward", Listen("localhost", 0)).WithTimeout();
        Assert.True(reply.Success);
        int port = (int)new SshReader(reply.Data.Span).ReadUInt32();
        Assert.True((await pair.Client.SendGlobalRequestAsync("cancel-tcpip-forward", Listen("localhost", port)).WithTimeout()).Success);
    }

    [Fact]
    public async Task Direct_streamlocal_connects_to_the_unix_socket_and_streamlocal_forward_listens_on_a_path()
    {
        using var dir = new TempDirectory();
        string target = dir.File("echo.sock");
        string listenPath = dir.File("listen.sock");
        using var unixEcho = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        unixEcho.Bind(new UnixDomainSocketEndPoint(target));
        unixEcho.Listen(4);
        Task served = Task.Run(async () =>
        {
            using Socket s = await unixEcho.AcceptAsync();
            byte[] buffer = new byte[1024];
            int n;
            while ((n = await s.ReceiveAsync(buffer)) > 0)
            {
                await s.SendAsync(buffer.AsMemory(0, n));
            }

            s.Shutdown(SocketShutdown.Send);
        });
        var forwardedPath = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with
        {
            ChannelOpenHandlers = new Dictionary<string, SshChannelOpenHandler>
            {
                ["forwarded-streamlocal@openssh.com"] = async (pending, ct) =>
                {
                    forwardedPath.TrySetResult(new SshReader(pending.ExtraData.Span).ReadUtf8String());
                    await using SshChannelStream channel = pending.Accept();
                    await StreamEchoAsync(channel, ct);
                },
            },
        };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(Options(direct: _ => ValueTask.FromResult(SshForwardDecision.Allow), listen: r => ValueTask.FromResult(r.IsStreamLocal)), client);

        var path = new ArrayBufferWriter<byte>();
        var w = new SshWriter(path);
        w.WriteString(target);
        w.WriteString(string.Empty);
        w.WriteUInt32(0);
        await using (SshChannelStream channel = await pair.Client.OpenChannelAsync("direct-streamlocal@openssh.com", path.WrittenSpan.ToArray()).WithTimeout())
        {
            Assert.Equal("over a unix socket", await RoundTripAsync(channel, "over a unix socket"));
        }

        await served.WithTimeout();
        var listen = new ArrayBufferWriter<byte>();
        new SshWriter(listen).WriteString(listenPath);
        Assert.True((await pair.Client.SendGlobalRequestAsync("streamlocal-forward@openssh.com", listen.WrittenSpan.ToArray()).WithTimeout()).Success);
        using (var local = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            await local.ConnectAsync(new UnixDomainSocketEndPoint(listenPath)).WithTimeout();
            using var stream = new NetworkStream(local);
            await stream.WriteAsync("back"u8.ToArray());
            local.Shutdown(SocketShutdown.Send);
            using var received = new MemoryStream();
            await stream.CopyToAsync(received).WithTimeout();
            Assert.Equal("back", Encoding.UTF8.GetString(received.ToArray()));
        }

        Assert.Equal(listenPath, await forwardedPath.Task.WithTimeout());
        Assert.True((await pair.Client.SendGlobalRequestAsync("cancel-streamlocal-forward@openssh.com", listen.WrittenSpan.ToArray()).WithTimeout()).Success);
        Assert.False(File.Exists(listenPath));
    }

    internal static async Task AssertRefusedAsync(int port)
    {
        using var tcp = new TcpClient();
        SocketException refused = await Assert.ThrowsAsync<SocketException>(() => tcp.ConnectAsync(IPAddress.Loopback, port).WithTimeout());
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }
}
