using System.Buffers;
using System.IO.Pipelines;
using Rx.Ssh.Sftp;
using Rx.Ssh.Sftp.Protocol;
using Rx.Ssh.Testing;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Sftp;

/// <summary>
/// The client's request engine against a scripted server over an in-memory stream: replies out
/// of order, late, never, malformed, lying, or for no request, each a typed error or clean
/// recovery, never a hang.
/// </summary>
public sealed class SftpClientBadServerTests : IAsyncLifetime
{
    private readonly Stream _clientSide;
    private readonly Stream _serverSide;
    private readonly PipeReader _serverInput;
    private SftpClient? _client;

    public SftpClientBadServerTests()
    {
        (_clientSide, _serverSide) = InMemoryStream.CreatePair();
        _serverInput = PipeReader.Create(_serverSide);
    }

    private SftpClient Client => _client!;

    public async Task InitializeAsync()
    {
        Task<SftpClient> starting = SftpClient.StartAsync(_clientSide, SftpClientOptions.Default, CancellationToken.None);
        (SftpPacketType type, _) = await ReadRequestAsync(hasId: false);
        Assert.Equal(SftpPacketType.Init, type);
        using SftpPacketWriter version = new SftpHello(3, []).ToPacket(SftpPacketType.Version);
        await SendAsync(version);
        _client = await starting.WithTimeout();
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        await _serverSide.DisposeAsync();
    }

    [Fact]
    public async Task Without_limits_blocks_are_32_KiB()
    {
        Assert.Null(Client.Limits);
        Assert.Equal(32 * 1024, Client.ReadBlockSize);
        Assert.False(Client.Supports(SftpExtensionNames.CopyData));
        SftpException e = await Assert.ThrowsAsync<SftpException>(() => Client.StatVfsAsync("/"));
        Assert.Equal(SftpStatusCode.OperationUnsupported, e.Code);
    }

    [Fact]
    public async Task Replies_out_of_order_are_matched_by_id()
    {
        Task<SftpAttributes> first = Client.StatAsync("/a");
        Task<SftpAttributes> second = Client.StatAsync("/b");
        (_, uint idA) = await ReadRequestAsync();
        (_, uint idB) = await ReadRequestAsync();

        await SendAttrsAsync(idB, 2);
        await SendAttrsAsync(idA, 1);

        Assert.Equal(1ul, (await first.WithTimeout()).Size);
        Assert.Equal(2ul, (await second.WithTimeout()).Size);
    }

    [Fact]
    public async Task A_request_never_answered_is_cancelled_and_its_late_reply_dropped()
    {
        using var cancel = new CancellationTokenSource();
        Task<SftpAttributes> waiting = Client.StatAsync("/slow", cancel.Token);
        (_, uint slow) = await ReadRequestAsync();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WithTimeout());

        Task<SftpAttributes> next = Client.StatAsync("/next");
        (_, uint nextId) = await ReadRequestAsync();
        await SendAttrsAsync(slow, 1); // late: nobody waits for it any more
        await SendAttrsAsync(nextId, 7);
        Assert.Equal(7ul, (await next.WithTimeout()).Size);
    }

    [Fact]
    public async Task A_cancelled_open_whose_handle_comes_late_is_closed()
    {
        using var cancel = new CancellationTokenSource();
        Task<SftpFile> opening = Client.OpenAsync("/f", SftpOpenFlags.Read, null, cancel.Token);
        (_, uint id) = await ReadRequestAsync();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => opening.WithTimeout());

        using (var handle = SftpPacketWriter.WithId(SftpPacketType.Handle, id))
        {
            handle.WriteBytes("h1"u8);
            await SendAsync(handle);
        }

        (SftpPacketType type, uint closeId, byte[] body) = await ReadRequestWithBodyAsync();
        Assert.Equal(SftpPacketType.Close, type);
        Assert.Equal("h1"u8.ToArray(), body[4..]);
        await SendStatusAsync(closeId, SftpStatusCode.Ok);
    }

    [Fact]
    public async Task A_malformed_reply_fails_its_request_only()
    {
        Task<SftpAttributes> broken = Client.StatAsync("/x");
        (_, uint id) = await ReadRequestAsync();
        using (var attrs = SftpPacketWriter.WithId(SftpPacketType.Attrs, id))
        {
            attrs.WriteUInt32(1); // says a size follows; it does not
            await SendAsync(attrs);
        }

        await Assert.ThrowsAsync<SftpProtocolException>(() => broken.WithTimeout());

        Task<SftpAttributes> next = Client.StatAsync("/y");
        (_, uint nextId) = await ReadRequestAsync();
        await SendAttrsAsync(nextId, 3);
        Assert.Equal(3ul, (await next.WithTimeout()).Size);
    }

    [Fact]
    public async Task A_name_that_is_not_utf8_fails_its_request_with_a_protocol_error_and_the_session_goes_on()
    {
        Task<string> realPath = Client.RealPathAsync("/x");
        (_, uint id) = await ReadRequestAsync();
        using (var name = SftpPacketWriter.WithId(SftpPacketType.Name, id))
        {
            name.WriteUInt32(1);
            name.WriteBytes([0xC3, 0x28]); // not UTF-8
            name.WriteBytes([]);
            SftpAttributes.Empty.Write(name);
            await SendAsync(name);
        }

        await Assert.ThrowsAsync<SftpProtocolException>(() => realPath.WithTimeout());

        Task<SftpAttributes> next = Client.StatAsync("/y");
        (_, uint nextId) = await ReadRequestAsync();
        await SendAttrsAsync(nextId, 4);
        Assert.Equal(4ul, (await next.WithTimeout()).Size);
    }

    [Fact]
    public async Task A_status_where_a_handle_is_due_is_the_servers_error()
    {
        Task<SftpFile> opening = Client.OpenAsync("/f", SftpOpenFlags.Read);
        (_, uint id) = await ReadRequestAsync();
        await SendStatusAsync(id, SftpStatusCode.PermissionDenied, "nope");
        SftpException e = await Assert.ThrowsAsync<SftpException>(() => opening.WithTimeout());
        Assert.Equal((SftpStatusCode.PermissionDenied, "nope"), (e.Code, e.Message));
    }

    [Theory]
    [InlineData(new byte[] { 0x7f, 0xff, 0xff, 0xff, 101 })] // a length above the maximum
    [InlineData(new byte[] { 0, 0, 0, 0 })] // a length of zero
    [InlineData(new byte[] { 0, 0, 0, 9, 101, 0, 0, 0x7f, 0x7f, 0, 0, 0, 0 })] // a reply to no outstanding request
    [InlineData(new byte[] { 0, 0, 0, 5, 1, 0, 0, 0, 3 })] // INIT is not a reply
    public async Task A_lying_or_unsolicited_packet_ends_the_session_and_fails_what_is_pending(byte[] packet)
    {
        Task<SftpAttributes> pending = Client.StatAsync("/p");
        await ReadRequestAsync();
        await _serverSide.WriteAsync(packet);

        SftpException e = await Assert.ThrowsAsync<SftpException>(() => pending.WithTimeout());
        Assert.Equal(SftpStatusCode.ConnectionLost, e.Code);
        Assert.IsType<SftpProtocolException>(e.InnerException);
        await Client.Closed.WithTimeout();
        SftpException after = await Assert.ThrowsAsync<SftpException>(() => Client.StatAsync("/q").WithTimeout());
        Assert.Equal(SftpStatusCode.ConnectionLost, after.Code);
    }

    [Fact]
    public async Task The_server_closing_fails_what_is_pending()
    {
        Task<SftpAttributes> pending = Client.StatAsync("/p");
        await ReadRequestAsync();
        await _serverSide.DisposeAsync();
        SftpException e = await Assert.ThrowsAsync<SftpException>(() => pending.WithTimeout());
        Assert.Equal(SftpStatusCode.ConnectionLost, e.Code);
    }

    [Fact]
    public async Task A_version_below_3_is_refused()
    {
        (Stream client, Stream server) = InMemoryStream.CreatePair();
        await using (server)
        {
            Task<SftpClient> starting = SftpClient.StartAsync(client, SftpClientOptions.Default, CancellationToken.None);
            using SftpPacketWriter version = new SftpHello(2, []).ToPacket(SftpPacketType.Version);
            await server.WriteAsync(version.Finish());
            SftpException e = await Assert.ThrowsAsync<SftpException>(() => starting.WithTimeout());
            Assert.Equal(SftpStatusCode.OperationUnsupported, e.Code);
        }
    }

    private async Task SendAttrsAsync(uint id, ulong size)
    {
        using var w = SftpPacketWriter.WithId(SftpPacketType.Attrs, id);
        new SftpAttributes { Size = size }.Write(w);
        await SendAsync(w);
    }

    private async Task SendStatusAsync(uint id, SftpStatusCode code, string message = "")
    {
        using var w = SftpPacketWriter.WithId(SftpPacketType.Status, id);
        new SftpStatusReply(code, message, "").Write(w);
        await SendAsync(w);
    }

    private async Task SendAsync(SftpPacketWriter packet) => await _serverSide.WriteAsync(packet.Finish()).AsTask().WithTimeout();

    private async Task<(SftpPacketType Type, uint Id)> ReadRequestAsync(bool hasId = true)
    {
        (SftpPacketType type, uint id, _) = await ReadRequestWithBodyAsync(hasId);
        return (type, id);
    }

    private async Task<(SftpPacketType Type, uint Id, byte[] Body)> ReadRequestWithBodyAsync(bool hasId = true)
    {
        while (true)
        {
            ReadResult result = await _serverInput.ReadAsync().AsTask().WithTimeout();
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (SftpFraming.TryReadPacket(ref buffer, 1 << 20, out ReadOnlySequence<byte> packet))
            {
                byte[] bytes = packet.ToArray();
                _serverInput.AdvanceTo(buffer.Start);
                uint id = hasId ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1)) : 0;
                return ((SftpPacketType)bytes[0], id, bytes[(hasId ? 5 : 1)..]);
            }

            Assert.False(result.IsCompleted, "the client closed");
            _serverInput.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
