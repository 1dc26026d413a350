using Rx.Ssh.Messages;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Tests.Connection;

/// <summary>
/// The receive side of a byte channel against a scripted server: where a waiting read goes on
/// (<see cref="SshChannelStream.InlineReadContinuations"/>), and data packets up to the 255 KiB a
/// channel may announce (<see cref="SshChannelSettings.MaxMaxPacketSize"/>), one byte more being a
/// protocol error.
/// </summary>
public sealed class ChannelReadPathTests
{
    private const string ChannelType = "test-bytes@rx-ssh";
    private const uint ServerChannel = 7;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_waiting_read_goes_on_on_the_dispatch_loop_only_when_asked_to(bool inline)
    {
        (RawSshServer server, SshClientConnection client) = await RawSshServer.StartInMemoryAsync();
        await using (server)
        await using (client)
        {
            await using SshChannelStream channel = await OpenAsync(server, client, null);
            channel.InlineReadContinuations = inline;

            // The read waits first (nothing sent yet); the data then wakes it.
            Task<bool> onDispatchLoop = ReadThenReportAsync(channel);
            Assert.False(onDispatchLoop.IsCompleted);
            await SendDataAsync(server, new byte[100]);

            Assert.Equal(inline, await onDispatchLoop.WaitAsync(TestTimeout.Default));
        }
    }

    [Fact]
    public async Task By_default_a_read_never_goes_on_on_the_dispatch_loop_even_at_the_end_of_the_channel()
    {
        (RawSshServer server, SshClientConnection client) = await RawSshServer.StartInMemoryAsync();
        await using (server)
        await using (client)
        {
            await using SshChannelStream channel = await OpenAsync(server, client, null);
            Task<bool> onDispatchLoop = ReadThenReportAsync(channel, expectEnd: true);
            await server.SendAsync(w =>
            {
                w.WriteByte(MessageNumber.ChannelEof);
                w.WriteUInt32(channel.LocalChannelId);
            });

            Assert.False(await onDispatchLoop.WaitAsync(TestTimeout.Default));
        }
    }

    [Fact]
    public async Task A_channel_announcing_the_largest_packet_takes_packets_of_that_size_whole()
    {
        (RawSshServer server, SshClientConnection client) = await RawSshServer.StartInMemoryAsync();
        await using (server)
        await using (client)
        {
            var settings = new SshChannelSettings { MaxPacketSize = SshChannelSettings.MaxMaxPacketSize, WindowSize = 4 * 1024 * 1024 };
            await using SshChannelStream channel = await OpenAsync(server, client, settings);
            Assert.Equal((uint)SshChannelSettings.MaxMaxPacketSize, channel.MaxPacketSize);

            byte[] big = new byte[SshChannelSettings.MaxMaxPacketSize];
            new Random(5).NextBytes(big);
            await SendDataAsync(server, big);
            await SendDataAsync(server, big);

            byte[] read = new byte[2 * big.Length];
            await channel.ReadExactlyAsync(read).AsTask().WaitAsync(TestTimeout.Default);
            Assert.True(read.AsSpan(0, big.Length).SequenceEqual(big));
            Assert.True(read.AsSpan(big.Length).SequenceEqual(big));
        }
    }

    [Theory]
    [InlineData("aes128-gcm@openssh.com", null)]
    [InlineData("chacha20-poly1305@openssh.com", null)]
    [InlineData("aes256-ctr", "hmac-sha2-256-etm@openssh.com")]
    [InlineData("aes128-ctr", "hmac-sha2-256")]
    public async Task Large_packets_read_straight_from_the_stream_arrive_whole_with_every_cipher(string cipher, string? mac)
    {
        SshAlgorithms algorithms = SshAlgorithms.Default with { Ciphers = [cipher] };
        if (mac is not null)
        {
            algorithms = algorithms with { Macs = [mac] };
        }

        (RawSshServer server, SshClientConnection client) = await RawSshServer.StartInMemoryAsync(InMemoryServer.DefaultClientOptions() with { Algorithms = algorithms });
        await using (server)
        await using (client)
        {
            var settings = new SshChannelSettings { MaxPacketSize = SshChannelSettings.MaxMaxPacketSize, WindowSize = 8 * 1024 * 1024 };
            await using SshChannelStream channel = await OpenAsync(server, client, settings);

            // Sizes above and below the transport's direct-read threshold (64 KiB), mixed.
            int[] sizes = [SshChannelSettings.MaxMaxPacketSize, 17, 100 * 1024, 65 * 1024, 3000, 64 * 1024, SshChannelSettings.MaxMaxPacketSize - 1];
            byte[] all = new byte[sizes.Sum()];
            new Random(11).NextBytes(all);
            int offset = 0;
            foreach (int size in sizes)
            {
                await SendDataAsync(server, all.AsSpan(offset, size).ToArray());
                offset += size;
            }

            byte[] read = new byte[all.Length];
            await channel.ReadExactlyAsync(read).AsTask().WaitAsync(TestTimeout.Default);
            Assert.True(read.AsSpan().SequenceEqual(all));

            // The connection is in step afterwards: a small packet still arrives.
            await SendDataAsync(server, [1, 2, 3]);
            byte[] small = new byte[3];
            await channel.ReadExactlyAsync(small).AsTask().WaitAsync(TestTimeout.Default);
            Assert.Equal(new byte[] { 1, 2, 3 }, small);
        }
    }

    [Fact]
    public async Task A_packet_larger_than_the_channel_announced_is_a_protocol_error()
    {
        (RawSshServer server, SshClientConnection client) = await RawSshServer.StartInMemoryAsync();
        await using (server)
        await using (client)
        {
            var settings = new SshChannelSettings { MaxPacketSize = 64 * 1024 };
            await using SshChannelStream channel = await OpenAsync(server, client, settings);
            await SendDataAsync(server, new byte[(64 * 1024) + 1]);

            SshConnectionException disconnect = await server.ExpectDisconnectAsync();
            Assert.Equal(DisconnectReason.ProtocolError, disconnect.Reason);
        }
    }

    [Theory]
    [InlineData(32768)]
    [InlineData(SshChannelSettings.MaxMaxPacketSize)]
    public void The_announced_packet_size_may_go_up_to_255_KiB_and_no_further(int size)
    {
        Assert.Equal(size, new SshChannelSettings { MaxPacketSize = size }.MaxPacketSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SshChannelSettings { MaxPacketSize = SshChannelSettings.MaxMaxPacketSize + 1 });
    }

    private static async Task<SshChannelStream> OpenAsync(RawSshServer server, SshClientConnection client, SshChannelSettings? settings)
    {
        Task<SshChannelStream> open = client.OpenChannelAsync(ChannelType, ReadOnlyMemory<byte>.Empty, settings);
        byte[] request = await server.ReceiveAsync();
        Assert.Equal(MessageNumber.ChannelOpen, request[0]);
        var r = new SshReader(request.AsSpan(1));
        Assert.Equal(ChannelType, r.ReadAsciiString());
        uint clientChannel = r.ReadUInt32();
        _ = r.ReadUInt32(); // window
        Assert.Equal((uint)(settings ?? SshChannelSettings.Default).MaxPacketSize, r.ReadUInt32());
        await server.SendOpenConfirmationAsync(clientChannel, ServerChannel);
        return await open.WaitAsync(TestTimeout.Default);
    }

    private static Task SendDataAsync(RawSshServer server, byte[] data) => server.SendAsync(w =>
    {
        w.WriteByte(MessageNumber.ChannelData);
        w.WriteUInt32(0); // the client's first channel
        w.WriteString(data);
    });

    private static async Task<bool> ReadThenReportAsync(SshChannelStream channel, bool expectEnd = false)
    {
        byte[] buffer = new byte[4096];
        int n = await channel.ReadAsync(buffer).ConfigureAwait(false);
        Assert.Equal(expectEnd, n == 0);
        return SshConnection.OnDispatchLoop;
    }
}
