using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Rx.Ssh.Messages;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Tests.Server;

/// <summary>
/// Issue 16's hostile clients: one that opens channels without limit, one that asks for 1,000
/// remote forwards, one whose window adjusts overflow 2^32-1. Each is refused (and the connection
/// carries on) or dropped with the right reason. The other two of the list are elsewhere: a client
/// that completes key exchange and then says nothing (<see cref="ServerAuthTimingTests"/>, login
/// grace) and one that never reads (<see cref="ServerFlowControlTests"/>).
/// </summary>
public sealed class HostileClientTests
{
    private const string AnyType = "rx-test-any@example.com";

    [Fact]
    public async Task Channels_past_MaxChannels_are_refused_with_resource_shortage_and_the_connection_carries_on()
    {
        const int cap = 40;
        var accepted = new ConcurrentBag<SshChannelStream>();
        SshServerOptions options = InMemoryServer.DefaultServerOptions(p => Task.Delay(Timeout.Infinite, p.Closed)) with
        {
            MaxChannels = cap,
            ChannelOpenHandlers = new Dictionary<string, SshChannelOpenHandler>
            {
                [AnyType] = (pending, _) =>
                {
                    accepted.Add(pending.Accept());
                    return ValueTask.CompletedTask;
                },
            },
        };
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(options);
        await using (client)
        {
            await client.LoginAsync();
            SshServerConnection connection = await server.WaitAsync(TestTimeout.Default);

            // 500 opens without waiting for any answer.
            const int opens = 500;
            for (uint id = 0; id < opens; id++)
            {
                await client.SendChannelOpenAsync(AnyType, id);
            }

            int confirmed = 0, refused = 0;
            for (int i = 0; i < opens; i++)
            {
                byte[] reply = await client.ReceiveAsync();
                if (reply[0] == MessageNumber.ChannelOpenConfirmation)
                {
                    confirmed++;
                    continue;
                }

                Assert.Equal(MessageNumber.ChannelOpenFailure, reply[0]);
                Assert.Equal((uint)ChannelOpenFailureReason.ResourceShortage, BinaryPrimitives.ReadUInt32BigEndian(reply.AsSpan(5)));
                refused++;
            }

            Assert.Equal(cap, confirmed);
            Assert.Equal(opens - cap, refused);
            Assert.False(connection.Completion.IsCompleted);

            // Still served: a session is refused too while the table is full (not a disconnect), and
            // a global request is answered.
            await client.SendChannelOpenAsync("session", opens);
            Assert.Equal(MessageNumber.ChannelOpenFailure, (await client.ReceiveAsync())[0]);
            await client.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.GlobalRequest);
                w.WriteString("keepalive@openssh.com");
                w.WriteBoolean(true);
            });
            Assert.Equal(MessageNumber.RequestFailure, (await client.ReceiveAsync())[0]);
        }
    }

    [Fact]
    public async Task MaxChannels_defaults_to_1024_on_both_roles_and_must_be_positive()
    {
        Assert.Equal(1024, new SshServerOptions().MaxChannels);
        Assert.Equal(1024, new SshClientOptions().MaxChannels);

        (Stream clientStream, Stream serverStream) = Rx.Ssh.Testing.InMemoryStream.CreatePair();
        await using (clientStream)
        await using (serverStream)
        {
            ArgumentOutOfRangeException ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => SshClient.ConnectAsync(
                clientStream, Rx.Ssh.Testing.InMemorySshServer.DefaultHostName, 22, InMemoryServer.DefaultClientOptions() with { MaxChannels = 0 }));
            Assert.Contains("MaxChannels", ex.ParamName, StringComparison.Ordinal);
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_thousand_remote_forwards_at_once_bind_the_cap_and_the_rest_are_refused()
    {
        var logs = new LogCollector();
        SshServerOptions options = InMemoryServer.DefaultServerOptions(p => p.Stdout.WriteAsync("ok")) with { ListenPolicy = _ => ValueTask.FromResult(true), LoggerFactory = logs };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(options);

        Task<SshGlobalReply>[] requests = [.. Enumerable.Range(0, 1000).Select(_ => pair.Client.SendGlobalRequestAsync("tcpip-forward", Forwarding.ServerForwardingTests.Listen("127.0.0.1", 0)))];
        SshGlobalReply[] replies = await Task.WhenAll(requests).WaitAsync(TestTimeout.Long);

        // Requests are decided concurrently, so which ones win is not fixed; how many is.
        int cap = new SshServerOptions().MaxForwardListeners;
        SshGlobalReply[] bound = [.. replies.Where(r => r.Success)];
        Assert.Equal(cap, bound.Length);
        Assert.Equal(cap, Forwarding.ServerForwardingTests.Logged(logs, SshLogEvents.Forwarding.Listening).Length);
        Assert.Equal(cap, bound.Select(r => new SshReader(r.Data.Span).ReadUInt32()).Distinct().Count());
        int[] ports = [.. bound.Select(r => (int)new SshReader(r.Data.Span).ReadUInt32())];
        Assert.All(ports, p => Assert.True(ListeningSockets.HeldByThisProcess(p), $"nothing of ours listens on {p}"));

        // The connection carries on, and its listeners go with it.
        Assert.Equal("ok", (await pair.Client.RunAsync("x", new SshProcessOptions()).WaitAsync(TestTimeout.Default)).Stdout);
        Task forwardsDone = pair.Server.ForwardsEnded.DefaultIfEmpty().LastAsync().ToTask().WaitAsync(TestTimeout.Default);
        await pair.Client.DisposeAsync();
        await forwardsDone;
        LogEntry[] stopped = Forwarding.ServerForwardingTests.Logged(logs, SshLogEvents.Forwarding.StoppedListening);
        Assert.Equal(cap, stopped.Length);
        Assert.All(stopped, e => Assert.Equal(0, e.Value<int>("Left")));
        // None of the freed ports is listened on by this process any more (a connect to each and a
        // refusal expected could be spoiled by another test binding one of the sixteen meanwhile).
        Assert.DoesNotContain(ports, ListeningSockets.HeldByThisProcess);
    }

    [Fact]
    public async Task A_window_adjust_past_2_to_the_32_minus_1_is_a_protocol_error()
    {
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(InMemoryServer.DefaultServerOptions(p => Task.Delay(Timeout.Infinite, p.Closed)));
        await using (client)
        {
            await client.LoginAsync();
            SshServerConnection connection = await server.WaitAsync(TestTimeout.Default);
            uint remote = await client.OpenSessionAsync();

            // The window we gave is 2 MiB; adding 2^32-1 overflows it (RFC 4254 section 5.2).
            await client.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.ChannelWindowAdjust);
                w.WriteUInt32(remote);
                w.WriteUInt32(uint.MaxValue);
            });

            SshConnectionException seen = await client.ExpectDisconnectAsync();
            Assert.False(seen.IsLocal);
            Assert.Equal(DisconnectReason.ProtocolError, seen.Reason);
            Assert.Contains("window", seen.Message, StringComparison.OrdinalIgnoreCase);
            Exception? ended = await connection.Completion.WaitAsync(TestTimeout.Default);
            Assert.Equal(DisconnectReason.ProtocolError, Assert.IsType<SshConnectionException>(ended).Reason);
        }
    }
}
