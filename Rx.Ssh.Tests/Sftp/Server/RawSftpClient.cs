using System.Buffers.Binary;
using Rx.Ssh.Sftp;
using Rx.Ssh.Sftp.Protocol;
using Rx.Ssh.Sftp.Server;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Sftp.Server;

/// <summary>
/// A bare SFTP peer for server tests: our SFTP subsystem on an in-memory connection, raw packets
/// written into the channel and replies read back one by one (type, id, body), each read with a deadline.
/// </summary>
internal sealed class RawSftpClient : IAsyncDisposable
{
    private readonly InMemoryServer _pair;

    private RawSftpClient(InMemoryServer pair, SshChannelStream channel)
    {
        _pair = pair;
        Channel = channel;
    }

    public SshChannelStream Channel { get; }

    /// <summary>Starts the server with <paramref name="options"/>, opens the subsystem and exchanges INIT/VERSION.</summary>
    public static async Task<RawSftpClient> StartAsync(SftpServerOptions options, bool handshake = true)
    {
        InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions() with
        {
            Subsystems = new Dictionary<string, SshSubsystemHandler> { [SftpSubsystem.Name] = SftpSubsystem.Create(options) },
        });
        SshChannelStream channel = await pair.Client.OpenSubsystemAsync(SftpSubsystem.Name, CancellationToken.None).WithTimeout();
        var client = new RawSftpClient(pair, channel);
        if (handshake)
        {
            using var init = new SftpPacketWriter(SftpPacketType.Init);
            init.WriteUInt32(3);
            await client.SendAsync(init);
            Reply version = await client.ReceiveAsync();
            Assert.Equal(SftpPacketType.Version, version.Type);
        }

        return client;
    }

    public async Task SendAsync(SftpPacketWriter packet) => await Channel.WriteAsync(packet.Finish()).AsTask().WithTimeout();

    public async Task SendRawAsync(byte[] bytes) => await Channel.WriteAsync(bytes).AsTask().WithTimeout();

    /// <summary>A request with an id and fields written by <paramref name="body"/>.</summary>
    public async Task SendAsync(SftpPacketType type, uint id, Action<SftpPacketWriter> body)
    {
        using var w = SftpPacketWriter.WithId(type, id);
        body(w);
        await SendAsync(w);
    }

    /// <summary>An EXTENDED request.</summary>
    public Task SendExtendedAsync(uint id, string name, Action<SftpPacketWriter> body) =>
        SendAsync(SftpPacketType.Extended, id, w =>
        {
            w.WriteString(name);
            body(w);
        });

    /// <summary>The next reply; null when the channel ended.</summary>
    public async Task<Reply> ReceiveAsync() => await TryReceiveAsync() ?? throw new EndOfStreamException("The SFTP channel ended.");

    public async Task<Reply?> TryReceiveAsync()
    {
        byte[] length = new byte[4];
        if (!await ReadExactlyAsync(length))
        {
            return null;
        }

        byte[] packet = new byte[BinaryPrimitives.ReadUInt32BigEndian(length)];
        Assert.True(await ReadExactlyAsync(packet), "truncated reply");
        var type = (SftpPacketType)packet[0];
        uint id = type == SftpPacketType.Version ? 0 : BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(1));
        return new Reply(type, id, packet.AsMemory(type == SftpPacketType.Version ? 1 : 5));
    }

    /// <summary>Sends a request and returns its reply (only one outstanding).</summary>
    public async Task<Reply> RequestAsync(SftpPacketType type, uint id, Action<SftpPacketWriter> body)
    {
        await SendAsync(type, id, body);
        Reply reply = await ReceiveAsync();
        Assert.Equal(id, reply.Id);
        return reply;
    }

    public async ValueTask DisposeAsync()
    {
        await Channel.DisposeAsync();
        await _pair.DisposeAsync();
    }

    private async Task<bool> ReadExactlyAsync(byte[] buffer)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await Channel.ReadAsync(buffer.AsMemory(read)).AsTask().WithTimeout();
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    /// <summary>One reply: its type, id (0 for VERSION) and the body after the id.</summary>
    internal sealed record Reply(SftpPacketType Type, uint Id, ReadOnlyMemory<byte> Body)
    {
        public SftpStatusCode Status
        {
            get
            {
                Assert.True(Type == SftpPacketType.Status, $"expected STATUS, got {Type}");
                return (SftpStatusCode)BinaryPrimitives.ReadUInt32BigEndian(Body.Span);
            }
        }

        public string StatusMessage
        {
            get
            {
                var r = new SftpPacketReader(Body.Span);
                return SftpStatusReply.Read(ref r).Message;
            }
        }

        public byte[] Handle
        {
            get
            {
                Assert.True(Type == SftpPacketType.Handle, $"expected HANDLE, got {Type} {(Type == SftpPacketType.Status ? StatusMessage : "")}");
                var r = new SftpPacketReader(Body.Span);
                return r.ReadBytes().ToArray();
            }
        }

        public List<SftpName> Names
        {
            get
            {
                Assert.True(Type == SftpPacketType.Name, $"expected NAME, got {Type} {(Type == SftpPacketType.Status ? StatusMessage : "")}");
                var r = new SftpPacketReader(Body.Span);
                return SftpNameReply.Read(ref r);
            }
        }
    }
}
