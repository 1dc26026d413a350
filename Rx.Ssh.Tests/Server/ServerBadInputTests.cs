using System.Buffers.Binary;
using System.Text;
using Rx.Ssh.Messages;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Testing;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Tests.Server;

/// <summary>Clients that misbehave: the server ends them with the right reason, or refuses and carries on.</summary>
public sealed class ServerBadInputTests
{
    private static SshServerOptions Options() => InMemoryServer.DefaultServerOptions(p => Task.Delay(Timeout.Infinite, p.Closed)); // runs until the client leaves

    [Fact]
    public async Task Garbage_instead_of_a_version_line_is_refused()
    {
        (Stream client, Stream serverSide) = InMemoryStream.CreatePair();
        Task<SshServerConnection> server = SshServer.AcceptAsync(serverSide, Options());
        await client.WriteAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());

        SshConnectionException error = await Assert.ThrowsAnyAsync<SshConnectionException>(() => server.WaitAsync(TestTimeout.Default));
        Assert.Equal(DisconnectReason.ProtocolVersionNotSupported, error.Reason);
        Assert.Contains("GET / HTTP/1.1", error.Message, StringComparison.Ordinal);
        string received = Encoding.ASCII.GetString(await ReadToEndAsync(client));
        Assert.StartsWith("SSH-2.0-RxSsh", received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endless_line_without_newline_is_refused()
    {
        (Stream client, Stream serverSide) = InMemoryStream.CreatePair();
        Task<SshServerConnection> server = SshServer.AcceptAsync(serverSide, Options());
        await client.WriteAsync(new byte[64 * 1024].AsMemory());

        SshConnectionException error = await Assert.ThrowsAnyAsync<SshConnectionException>(() => server.WaitAsync(TestTimeout.Default));
        Assert.Equal(DisconnectReason.ProtocolVersionNotSupported, error.Reason);
    }

    [Fact]
    public async Task Channel_open_instead_of_service_request_is_a_protocol_error()
    {
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(Options());
        await using (client)
        {
            await client.SendChannelOpenAsync("session", 0);
            await AssertDisconnectedAsync(client, DisconnectReason.ProtocolError);
        }

        await Assert.ThrowsAnyAsync<SshConnectionException>(() => server.WaitAsync(TestTimeout.Default));
    }

    [Fact]
    public async Task Channel_open_before_authentication_is_a_protocol_error()
    {
        (RawSshClient client, Task<SshServerConnection> _) = await RawSshClient.StartInMemoryAsync(Options());
        await using (client)
        {
            await client.RequestUserAuthAsync();
            await client.SendChannelOpenAsync("session", 0);
            await AssertDisconnectedAsync(client, DisconnectReason.ProtocolError);
        }
    }

    [Fact]
    public async Task Global_request_before_authentication_is_a_protocol_error()
    {
        (RawSshClient client, Task<SshServerConnection> _) = await RawSshClient.StartInMemoryAsync(Options());
        await using (client)
        {
            await client.RequestUserAuthAsync();
            await client.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.GlobalRequest);
                w.WriteString("tcpip-forward");
                w.WriteBoolean(true);
                w.WriteString("0.0.0.0");
                w.WriteUInt32(2222);
            });
            await AssertDisconnectedAsync(client, DisconnectReason.ProtocolError);
        }
    }

    [Fact]
    public async Task Channel_request_before_authentication_is_a_protocol_error()
    {
        (RawSshClient client, Task<SshServerConnection> _) = await RawSshClient.StartInMemoryAsync(Options());
        await using (client)
        {
            await client.RequestUserAuthAsync();
            await client.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.ChannelRequest);
                w.WriteUInt32(0);
                w.WriteString("exec");
                w.WriteBoolean(true);
                w.WriteString("id");
            });
            await AssertDisconnectedAsync(client, DisconnectReason.ProtocolError);
        }
    }

    [Fact]
    public async Task Service_other_than_userauth_is_refused()
    {
        (RawSshClient client, Task<SshServerConnection> _) = await RawSshClient.StartInMemoryAsync(Options());
        await using (client)
        {
            await client.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.ServiceRequest);
                w.WriteString("ssh-connection");
            });
            await AssertDisconnectedAsync(client, DisconnectReason.ServiceNotAvailable);
        }
    }

    [Fact]
    public async Task Truncated_auth_request_is_a_protocol_error()
    {
        (RawSshClient client, Task<SshServerConnection> _) = await RawSshClient.StartInMemoryAsync(Options());
        await using (client)
        {
            await client.RequestUserAuthAsync();
            await client.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.UserAuthRequest);
                w.WriteString("alice");
                w.WriteUInt32(0xFFFF_FFF0); // service name length that lies
            });
            await AssertDisconnectedAsync(client, DisconnectReason.ProtocolError);
        }
    }

    [Fact]
    public async Task Unknown_global_request_gets_request_failure()
    {
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(Options());
        await using (client)
        {
            await client.LoginAsync();
            await using SshServerConnection connection = await server.WaitAsync(TestTimeout.Default);
            await client.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.GlobalRequest);
                w.WriteString("keepalive@openssh.com");
                w.WriteBoolean(true);
            });
            Assert.Equal(MessageNumber.RequestFailure, (await client.ReceiveAsync())[0]);
            await client.OpenSessionAsync();
        }
    }

    [Fact]
    public async Task Unknown_channel_type_is_refused_and_the_connection_stays_up()
    {
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(Options());
        await using (client)
        {
            await client.LoginAsync();
            await using SshServerConnection connection = await server.WaitAsync(TestTimeout.Default);

            await client.SendChannelOpenAsync("no-such-channel@example.com", 7);
            byte[] failure = await client.ReceiveAsync();
            Assert.Equal(MessageNumber.ChannelOpenFailure, failure[0]);
            var r = new SshReader(failure.AsSpan(1));
            Assert.Equal(7u, r.ReadUInt32());
            Assert.Equal(ChannelOpenFailureReason.UnknownChannelType, (ChannelOpenFailureReason)r.ReadUInt32());

            await client.OpenSessionAsync(8);
        }
    }

    [Fact]
    public async Task Unknown_channel_request_gets_channel_failure()
    {
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(Options());
        await using (client)
        {
            await client.LoginAsync();
            await using SshServerConnection connection = await server.WaitAsync(TestTimeout.Default);
            uint remote = await client.OpenSessionAsync();

            await client.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.ChannelRequest);
                w.WriteUInt32(remote);
                w.WriteString("no-such-request@example.com");
                w.WriteBoolean(true);
            });
            byte[] reply = await client.ReceiveAsync();
            Assert.Equal(MessageNumber.ChannelFailure, reply[0]);
            Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(reply.AsSpan(1)));

            // A malformed known request is refused the same way, and the channel still works.
            await client.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.ChannelRequest);
                w.WriteUInt32(remote);
                w.WriteString("pty-req");
                w.WriteBoolean(true);
                w.WriteString("xterm");
            });
            Assert.Equal(MessageNumber.ChannelFailure, (await client.ReceiveAsync())[0]);
            await client.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.ChannelRequest);
                w.WriteUInt32(remote);
                w.WriteString("exec");
                w.WriteBoolean(true);
                w.WriteString("x");
            });
            Assert.Equal(MessageNumber.ChannelSuccess, (await client.ReceiveAsync())[0]);
        }
    }

    [Fact]
    public async Task Unknown_message_is_not_fatal()
    {
        // The server answers UNIMPLEMENTED, which the raw client's transport consumes; the point is that the connection stays up.
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(Options());
        await using (client)
        {
            await client.LoginAsync();
            await using SshServerConnection connection = await server.WaitAsync(TestTimeout.Default);
            await client.SendAsync(w => w.WriteByte(199));
            await client.SendAsync(w => w.WriteByte(MessageNumber.UserAuthRequest)); // late auth traffic, not dispatched to any handler
            await client.OpenSessionAsync();
            Assert.False(connection.Completion.IsCompleted);
        }
    }

    [Fact]
    public async Task Overrunning_the_window_is_a_protocol_error()
    {
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(Options());
        await using (client)
        {
            await client.LoginAsync();
            SshServerConnection connection = await server.WaitAsync(TestTimeout.Default);
            uint remote = await client.OpenSessionAsync();

            // Nobody reads stdin (no exec yet), so the 2 MiB window is never given back; send 2 MiB + 32 KiB.
            byte[] chunk = new byte[32768];
            for (int i = 0; i < 65; i++)
            {
                await client.SendAsync(w =>
                {
                    w.WriteByte(MessageNumber.ChannelData);
                    w.WriteUInt32(remote);
                    w.WriteString(chunk);
                });
            }

            await AssertDisconnectedAsync(client, DisconnectReason.ProtocolError, "window");
            Exception? ended = await connection.Completion.WaitAsync(TestTimeout.Default);
            Assert.Equal(DisconnectReason.ProtocolError, Assert.IsType<SshConnectionException>(ended).Reason);
        }
    }

    [Fact]
    public async Task Channel_data_beyond_the_maximum_packet_size_is_a_protocol_error()
    {
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(Options());
        await using (client)
        {
            await client.LoginAsync();
            await server.WaitAsync(TestTimeout.Default);
            uint remote = await client.OpenSessionAsync();

            // Within the window (2 MiB) but above the 32 KiB maximum packet the server announced.
            await client.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.ChannelData);
                w.WriteUInt32(remote);
                w.WriteString(new byte[65536]);
            });

            await AssertDisconnectedAsync(client, DisconnectReason.ProtocolError, "maximum");
        }
    }

    [Fact]
    public async Task Oversized_packet_is_refused()
    {
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(Options());
        await using (client)
        {
            await client.LoginAsync();
            SshServerConnection connection = await server.WaitAsync(TestTimeout.Default);
            byte[] big = new byte[300 * 1024];
            await client.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.Ignore);
                w.WriteString(big);
            });
            await AssertDisconnectedAsync(client, DisconnectReason.ProtocolError, "packet length");
            Assert.IsType<SshConnectionException>(await connection.Completion.WaitAsync(TestTimeout.Default));
        }
    }

    [Fact]
    public async Task Oversized_packet_before_key_exchange_is_refused()
    {
        (Stream client, Stream serverSide) = InMemoryStream.CreatePair();
        Task<SshServerConnection> server = SshServer.AcceptAsync(serverSide, Options());
        await client.WriteAsync("SSH-2.0-Liar\r\n"u8.ToArray());
        await client.WriteAsync(new byte[] { 0x7f, 0xff, 0xff, 0xf0, 4, 20, 0, 0, 0, 0, 0, 0 });

        SshConnectionException error = await Assert.ThrowsAnyAsync<SshConnectionException>(() => server.WaitAsync(TestTimeout.Default));
        Assert.Equal(DisconnectReason.ProtocolError, error.Reason);
        await ReadToEndAsync(client);
    }

    [Fact]
    public async Task Truncated_message_after_authentication_is_a_protocol_error()
    {
        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(Options());
        await using (client)
        {
            await client.LoginAsync();
            await using SshServerConnection connection = await server.WaitAsync(TestTimeout.Default);
            await client.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.ChannelOpen);
                w.WriteUInt32(1000); // string length larger than what follows
                w.WriteByte((byte)'s');
            });
            await AssertDisconnectedAsync(client, DisconnectReason.ProtocolError);
        }
    }

    private static async Task AssertDisconnectedAsync(RawSshClient client, DisconnectReason reason, string? message = null)
    {
        SshConnectionException error = await client.ExpectDisconnectAsync();
        Assert.False(error.IsLocal);
        Assert.Equal(reason, error.Reason);
        if (message is not null)
        {
            Assert.Contains(message, error.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        using var all = new MemoryStream();
        byte[] buffer = new byte[4096];
        int n;
        while ((n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TestTimeout.Default)) > 0)
        {
            all.Write(buffer, 0, n);
        }

        return all.ToArray();
    }
}
