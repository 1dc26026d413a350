using System.Buffers.Binary;
using Rx.Ssh.Messages;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Tests.Connection;

/// <summary>
/// Channel messages are checked against the channel's state (RFC 4254 section 5), on both
/// sides: a message for a channel that is not open, a second confirmation, a refusal of a live
/// channel, or data before the confirmation ends the connection with PROTOCOL_ERROR (as OpenSSH
/// and x/crypto/ssh do); a maximum packet size under 9 is refused; our data packets never exceed
/// 32768 bytes whatever maximum the peer announces.
/// </summary>
public sealed class ChannelStateTests
{
    private static SshServerOptions Options(Func<SshServerProcess, Task>? handler = null) =>
        InMemoryServer.DefaultServerOptions(handler ?? (p => Task.Delay(Timeout.Infinite, p.Closed)));

    [Fact]
    public async Task Data_on_a_channel_the_server_has_not_confirmed_is_a_protocol_error()
    {
        (RawSshServer server, SshClientConnection client) = await RawSshServer.StartInMemoryAsync();
        await using (server)
        await using (client)
        {
            Task<Rx.Ssh.Connection.SshChannel> open = client.OpenChannelAsync("session", null, CancellationToken.None);
            uint id = await server.ReceiveChannelOpenAsync();
            await server.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.ChannelData);
                w.WriteUInt32(id);
                w.WriteString("early"u8);
            });

            await AssertProtocolErrorAsync(server, client.Completion, "before confirming");
            await Assert.ThrowsAnyAsync<SshConnectionException>(() => open.WaitAsync(TestTimeout.Default));
        }
    }

    [Fact]
    public async Task A_second_open_confirmation_is_a_protocol_error()
    {
        (RawSshServer server, SshClientConnection client) = await RawSshServer.StartInMemoryAsync();
        await using (server)
        await using (client)
        {
            Task<Rx.Ssh.Connection.SshChannel> open = client.OpenChannelAsync("session", null, CancellationToken.None);
            uint id = await server.ReceiveChannelOpenAsync();
            await server.SendOpenConfirmationAsync(id, 5);
            Rx.Ssh.Connection.SshChannel channel = await open.WaitAsync(TestTimeout.Default);

            // It would point the live channel at another remote id with a fresh window.
            await server.SendOpenConfirmationAsync(id, 6, window: uint.MaxValue);

            await AssertProtocolErrorAsync(server, client.Completion, "already open");
            Assert.Equal(5u, channel.RemoteId);
        }
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(8u)]
    public async Task A_confirmation_with_a_maximum_packet_under_9_is_a_protocol_error(uint maxPacket)
    {
        (RawSshServer server, SshClientConnection client) = await RawSshServer.StartInMemoryAsync();
        await using (server)
        await using (client)
        {
            Task<Rx.Ssh.Connection.SshChannel> open = client.OpenChannelAsync("session", null, CancellationToken.None);
            uint id = await server.ReceiveChannelOpenAsync();
            await server.SendOpenConfirmationAsync(id, 5, maxPacket: maxPacket);

            await AssertProtocolErrorAsync(server, client.Completion, $"maximum packet size of {maxPacket}");
            await Assert.ThrowsAnyAsync<SshConnectionException>(() => open.WaitAsync(TestTimeout.Default));
        }
    }

    [Fact]
    public async Task An_open_failure_description_reaches_the_exception_escaped()
    {
        (RawSshServer server, SshClientConnection client) = await RawSshServer.StartInMemoryAsync();
        await using (server)
        await using (client)
        {
            Task<Rx.Ssh.Connection.SshChannel> open = client.OpenChannelAsync("session", null, CancellationToken.None);
            uint id = await server.ReceiveChannelOpenAsync();
            await server.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.ChannelOpenFailure);
                w.WriteUInt32(id);
                w.WriteUInt32((uint)ChannelOpenFailureReason.AdministrativelyProhibited);
                w.WriteString("no\u001b[2J\r\nfake log line");
                w.WriteString(string.Empty);
            });

            SshChannelOpenException refused = await Assert.ThrowsAsync<SshChannelOpenException>(() => open.WaitAsync(TestTimeout.Default));
            Assert.Equal(ChannelOpenFailureReason.AdministrativelyProhibited, refused.Reason);
            Assert.Contains("no\\033[2J\\015\\012fake log line", refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\u001b', refused.Message);
        }
    }

    [Fact]
    public async Task Open_failure_for_a_live_channel_is_a_protocol_error()
    {
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(Options());
        await using (client)
        {
            await client.LoginAsync();
            await using SshServerConnection connection = await server.WaitAsync(TestTimeout.Default);
            uint remote = await client.OpenSessionAsync();
            await client.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.ChannelOpenFailure);
                w.WriteUInt32(remote);
                w.WriteUInt32((uint)ChannelOpenFailureReason.ConnectFailed);
                w.WriteString("changed my mind");
                w.WriteString(string.Empty);
            });

            await AssertProtocolErrorAsync(client, connection.Completion, "already open");
        }
    }

    [Theory]
    [InlineData(MessageNumber.ChannelData)]
    [InlineData(MessageNumber.ChannelWindowAdjust)]
    [InlineData(MessageNumber.ChannelRequest)]
    [InlineData(MessageNumber.ChannelClose)]
    public async Task A_message_for_a_channel_that_does_not_exist_is_a_protocol_error(byte number)
    {
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(Options());
        await using (client)
        {
            await client.LoginAsync();
            await using SshServerConnection connection = await server.WaitAsync(TestTimeout.Default);
            await client.OpenSessionAsync();
            await client.SendAsync(w =>
            {
                w.WriteByte(number);
                w.WriteUInt32(42);
                switch (number)
                {
                    case MessageNumber.ChannelData:
                        w.WriteString("lost"u8);
                        break;
                    case MessageNumber.ChannelWindowAdjust:
                        w.WriteUInt32(1024);
                        break;
                    case MessageNumber.ChannelRequest:
                        w.WriteString("exec");
                        w.WriteBoolean(true);
                        w.WriteString("id");
                        break;
                }
            });

            await AssertProtocolErrorAsync(client, connection.Completion, "channel 42, which is not open");
        }
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(8u)]
    public async Task A_channel_open_with_a_maximum_packet_under_9_is_refused(uint maxPacket)
    {
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(Options());
        await using (client)
        {
            await client.LoginAsync();
            await using SshServerConnection connection = await server.WaitAsync(TestTimeout.Default);
            await client.SendChannelOpenAsync("session", 3, maxPacket: maxPacket);

            byte[] failure = await client.ReceiveAsync();
            Assert.Equal(MessageNumber.ChannelOpenFailure, failure[0]);
            var r = new SshReader(failure.AsSpan(1));
            Assert.Equal(3u, r.ReadUInt32());
            Assert.Equal(ChannelOpenFailureReason.ConnectFailed, (ChannelOpenFailureReason)r.ReadUInt32());
            Assert.Equal(0, connection.CountChannels("session"));
            await client.OpenSessionAsync(4);
        }
    }

    [Fact]
    public async Task Data_packets_stay_at_32768_bytes_when_the_peer_announces_a_larger_maximum()
    {
        const int size = 100_000;
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(Options(p => p.Stdout.WriteAsync(new byte[size])));
        await using (client)
        {
            await client.LoginAsync();
            await using SshServerConnection connection = await server.WaitAsync(TestTimeout.Default);
            await client.SendChannelOpenAsync("session", 0, window: uint.MaxValue, maxPacket: uint.MaxValue);
            byte[] confirmation = await client.ReceiveAsync();
            Assert.Equal(MessageNumber.ChannelOpenConfirmation, confirmation[0]);
            uint remote = BinaryPrimitives.ReadUInt32BigEndian(confirmation.AsSpan(5));
            await client.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.ChannelRequest);
                w.WriteUInt32(remote);
                w.WriteString("exec");
                w.WriteBoolean(false);
                w.WriteString("x");
            });

            int received = 0;
            int packets = 0;
            while (received < size)
            {
                byte[] payload = await client.ReceiveAsync();
                if (payload[0] != MessageNumber.ChannelData)
                {
                    continue;
                }

                var r = new SshReader(payload.AsSpan(1));
                r.ReadUInt32();
                int length = r.ReadString().Length;
                Assert.InRange(length, 1, 32768);
                received += length;
                packets++;
            }

            Assert.Equal(size, received);
            Assert.True(packets >= 4, $"{packets} packets");
        }
    }

    /// <summary>The peer saw our DISCONNECT with PROTOCOL_ERROR, and our side ended with a message containing <paramref name="text"/>.</summary>
    private static async Task AssertProtocolErrorAsync(RawSshPeer peer, Task<Exception?> completion, string text)
    {
        SshConnectionException seen = await peer.ExpectDisconnectAsync();
        Assert.Equal(DisconnectReason.ProtocolError, seen.Reason);
        Assert.False(seen.IsLocal);
        SshConnectionException error = Assert.IsType<SshConnectionException>(await completion.WaitAsync(TestTimeout.Default));
        Assert.Equal(DisconnectReason.ProtocolError, error.Reason);
        Assert.True(error.IsLocal);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
    }
}
