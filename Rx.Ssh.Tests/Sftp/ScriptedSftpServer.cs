using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Rx.Ssh.Sftp;
using Rx.Ssh.Sftp.Protocol;
using Rx.Ssh.Testing;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Sftp;

/// <summary>
/// The server end of an in-memory SFTP session that a test scripts by hand: it reads the client's
/// requests one by one (type, id, body) and writes whatever replies the test chooses, in any order or never.
/// </summary>
internal sealed class ScriptedSftpServer : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly PipeReader _input;

    private ScriptedSftpServer(Stream stream)
    {
        _stream = stream;
        _input = PipeReader.Create(stream);
    }

    /// <summary>Starts a client with <paramref name="options"/> against a scripted server that answers INIT with a bare VERSION 3.</summary>
    public static async Task<(SftpClient Client, ScriptedSftpServer Server)> StartAsync(SftpClientOptions options)
    {
        (Stream clientSide, Stream serverSide) = InMemoryStream.CreatePair();
        var server = new ScriptedSftpServer(serverSide);
        Task<SftpClient> starting = SftpClient.StartAsync(clientSide, options, CancellationToken.None);
        Request init = await server.ReceiveAsync(hasId: false);
        Assert.Equal(SftpPacketType.Init, init.Type);
        using SftpPacketWriter version = new SftpHello(3, []).ToPacket(SftpPacketType.Version);
        await server.SendAsync(version);
        return (await starting.WithTimeout(), server);
    }

    /// <summary>The next request; null once the client closed its end.</summary>
    public async Task<Request?> TryReceiveAsync(bool hasId = true)
    {
        while (true)
        {
            ReadResult result = await _input.ReadAsync().AsTask().WithTimeout();
            ReadOnlySequence<byte> buffer = result.Buffer;
            if (SftpFraming.TryReadPacket(ref buffer, 1 << 20, out ReadOnlySequence<byte> packet))
            {
                byte[] bytes = packet.ToArray();
                _input.AdvanceTo(buffer.Start);
                uint id = hasId ? BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1)) : 0;
                return new Request((SftpPacketType)bytes[0], id, bytes[(hasId ? 5 : 1)..]);
            }

            if (result.IsCompleted)
            {
                _input.AdvanceTo(buffer.End);
                return null;
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>The next request.</summary>
    public async Task<Request> ReceiveAsync(bool hasId = true) => await TryReceiveAsync(hasId) ?? throw new EndOfStreamException("The client closed the session.");

    /// <summary>Reads requests until one of <paramref name="type"/> comes; the others are returned unanswered.</summary>
    public async Task<(Request Found, List<Request> Skipped)> ReceiveUntilAsync(SftpPacketType type)
    {
        var skipped = new List<Request>();
        for (Request r = await ReceiveAsync(); ; r = await ReceiveAsync())
        {
            if (r.Type == type)
            {
                return (r, skipped);
            }

            skipped.Add(r);
        }
    }

    public async Task SendAsync(SftpPacketWriter packet) => await _stream.WriteAsync(packet.Finish()).AsTask().WithTimeout();

    public async Task SendStatusAsync(uint id, SftpStatusCode code, string message = "")
    {
        using var w = SftpPacketWriter.WithId(SftpPacketType.Status, id);
        new SftpStatusReply(code, message, "").Write(w);
        await SendAsync(w);
    }

    public async Task SendAttrsAsync(uint id, SftpAttributes attributes)
    {
        using var w = SftpPacketWriter.WithId(SftpPacketType.Attrs, id);
        attributes.Write(w);
        await SendAsync(w);
    }

    public async Task SendHandleAsync(uint id, byte[] handle)
    {
        using var w = SftpPacketWriter.WithId(SftpPacketType.Handle, id);
        w.WriteBytes(handle);
        await SendAsync(w);
    }

    public async Task SendDataAsync(uint id, ReadOnlyMemory<byte> data)
    {
        using var w = SftpPacketWriter.WithId(SftpPacketType.Data, id, SftpFraming.DefaultMaxPacketLength, data.Length + 16);
        w.WriteBytes(data.Span);
        await SendAsync(w);
    }

    public async ValueTask DisposeAsync()
    {
        await _input.CompleteAsync();
        await _stream.DisposeAsync();
    }

    /// <summary>One request: its type, id (0 for INIT) and the body after the id.</summary>
    internal sealed record Request(SftpPacketType Type, uint Id, byte[] Body)
    {
        /// <summary>The handle a handle request starts with.</summary>
        public byte[] Handle => Body[4..(4 + (int)BinaryPrimitives.ReadUInt32BigEndian(Body))];

        /// <summary>A READ's offset and length, or a WRITE's offset and data length.</summary>
        public (long Offset, int Length) Range
        {
            get
            {
                int at = 4 + Handle.Length;
                long offset = (long)BinaryPrimitives.ReadUInt64BigEndian(Body.AsSpan(at));
                return (offset, (int)BinaryPrimitives.ReadUInt32BigEndian(Body.AsSpan(at + 8)));
            }
        }
    }
}
