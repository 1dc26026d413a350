using System.Buffers.Binary;
using Rx.Ssh.Sftp;
using Rx.Ssh.Sftp.Protocol;
using Rx.Ssh.Sftp.Server;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Sftp.Server;

/// <summary>
/// Bad input written straight into our SFTP subsystem: malformed requests answered BAD_MESSAGE
/// (the session goes on), unknown requests OP_UNSUPPORTED, unknown handles FAILURE, a lying frame
/// length ends the session cleanly, handles bounded, nothing left open at the end.
/// </summary>
public sealed class SftpServerBadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rxssh-sftpbad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Malformed_requests_get_bad_message_and_the_session_goes_on()
    {
        await using RawSftpClient sftp = await RawSftpClient.StartAsync(new SftpServerOptions());

        // A path string whose length says more than the packet holds.
        byte[] lying = Packet(SftpPacketType.Stat, 1, [0, 0, 0x10, 0, (byte)'/']);
        byte[] trailing = Packet(SftpPacketType.Stat, 2, [0, 0, 0, 1, (byte)'/', 9, 9]);
        byte[] badUtf8 = Packet(SftpPacketType.Stat, 3, [0, 0, 0, 2, 0xC3, 0x28]);
        byte[] nul = Packet(SftpPacketType.Stat, 4, [0, 0, 0, 3, (byte)'/', 0, (byte)'x']);

        // MKDIR with an extended-attribute count far larger than the packet.
        byte[] hugeCount = Packet(SftpPacketType.Mkdir, 5, [0, 0, 0, 1, (byte)'d', 0x80, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]);
        byte[] unknownFlags = Packet(SftpPacketType.Mkdir, 6, [0, 0, 0, 1, (byte)'d', 0x40, 0, 0, 0]);
        await sftp.SendRawAsync([.. lying, .. trailing, .. badUtf8, .. nul, .. hugeCount, .. unknownFlags]);

        var replies = new Dictionary<uint, RawSftpClient.Reply>();
        for (int i = 0; i < 6; i++)
        {
            RawSftpClient.Reply reply = await sftp.ReceiveAsync();
            replies.Add(reply.Id, reply);
        }

        Assert.All(replies.Values, r => Assert.Equal(SftpStatusCode.BadMessage, r.Status));
        Assert.Contains("UTF-8", replies[3].StatusMessage, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "d")));

        RawSftpClient.Reply ok = await sftp.RequestAsync(SftpPacketType.Stat, 7, w => w.WritePath(_dir));
        Assert.Equal(SftpPacketType.Attrs, ok.Type);
    }

    [Fact]
    public async Task Unknown_requests_handles_and_reads_past_eof()
    {
        await using RawSftpClient sftp = await RawSftpClient.StartAsync(new SftpServerOptions());
        Assert.Equal(SftpStatusCode.OperationUnsupported, (await sftp.RequestAsync((SftpPacketType)99, 1, _ => { })).Status);
        Assert.Equal(SftpStatusCode.OperationUnsupported, (await sftp.RequestAsync(SftpPacketType.Extended, 2, w => w.WriteString("nobody@example.com"))).Status);
        Assert.Equal(SftpStatusCode.Failure, (await sftp.RequestAsync(SftpPacketType.Read, 3, w =>
        {
            w.WriteBytes([1, 2, 3, 4]);
            w.WriteUInt64(0);
            w.WriteUInt32(10);
        })).Status);
        Assert.Equal(SftpStatusCode.Failure, (await sftp.RequestAsync(SftpPacketType.Close, 4, w => w.WriteBytes(new byte[200]))).Status);

        string path = Path.Combine(_dir, "f");
        await File.WriteAllTextAsync(path, "12345");
        byte[] handle = (await sftp.RequestAsync(SftpPacketType.Open, 5, w =>
        {
            w.WritePath(path);
            w.WriteUInt32((uint)SftpOpenFlags.Read);
            SftpAttributes.Empty.Write(w);
        })).Handle;
        RawSftpClient.Reply data = await sftp.RequestAsync(SftpPacketType.Read, 6, w =>
        {
            w.WriteBytes(handle);
            w.WriteUInt64(2);
            w.WriteUInt32(100);
        });
        Assert.Equal(SftpPacketType.Data, data.Type);
        Assert.Equal("345"u8.ToArray(), data.Body[4..].ToArray());
        Assert.Equal(SftpStatusCode.Eof, (await sftp.RequestAsync(SftpPacketType.Read, 7, w =>
        {
            w.WriteBytes(handle);
            w.WriteUInt64(5000);
            w.WriteUInt32(100);
        })).Status);

        // Writing through a read-only handle, and the same id used twice: both answered.
        await sftp.SendAsync(SftpPacketType.Write, 8, w =>
        {
            w.WriteBytes(handle);
            w.WriteUInt64(0);
            w.WriteBytes("x"u8);
        });
        await sftp.SendAsync(SftpPacketType.Stat, 8, w => w.WritePath(path));
        RawSftpClient.Reply[] twice = [await sftp.ReceiveAsync(), await sftp.ReceiveAsync()];
        Assert.All(twice, r => Assert.Equal(8u, r.Id));
        Assert.Contains(twice, r => r.Type == SftpPacketType.Status && r.Status != SftpStatusCode.Ok);
        Assert.Contains(twice, r => r.Type == SftpPacketType.Attrs);

        Assert.Equal(SftpStatusCode.Ok, (await sftp.RequestAsync(SftpPacketType.Close, 9, w => w.WriteBytes(handle))).Status);
        Assert.Equal(SftpStatusCode.Failure, (await sftp.RequestAsync(SftpPacketType.Close, 10, w => w.WriteBytes(handle))).Status);
        Assert.Equal(SftpStatusCode.NoSuchFile, (await sftp.RequestAsync(SftpPacketType.Stat, 11, w => w.WritePath(_dir + "/none"))).Status);
    }

    [Theory]
    [InlineData(0x7FFFFFFFu)]
    [InlineData(0u)]
    public async Task A_lying_frame_length_ends_the_session_cleanly(uint length)
    {
        await using RawSftpClient sftp = await RawSftpClient.StartAsync(new SftpServerOptions());
        byte[] frame = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(frame, length);
        await sftp.SendRawAsync(frame);

        // The server ends the session (EOF, exit-status 1, CLOSE) without waiting for 2 GiB.
        Assert.Null(await sftp.TryReceiveAsync());
    }

    [Fact]
    public async Task Open_handles_are_bounded_and_all_closed_when_the_session_ends()
    {
        var fs = new CountingFileSystem();
        RawSftpClient sftp = await RawSftpClient.StartAsync(new SftpServerOptions { MaxOpenHandles = 8, FileSystemFactory = _ => fs });
        await using (sftp)
        {
            var handles = new List<byte[]>();
            for (uint i = 0; i < 8; i++)
            {
                handles.Add((await OpenAsync(sftp, i, Path.Combine(_dir, $"f{i}"))).Handle);
            }

            RawSftpClient.Reply refused = await OpenAsync(sftp, 100, Path.Combine(_dir, "f100"));
            Assert.Equal(SftpStatusCode.Failure, refused.Status);
            Assert.Contains("Too many open handles", refused.StatusMessage, StringComparison.Ordinal);
            Assert.Equal(SftpPacketType.Status, (await sftp.RequestAsync(SftpPacketType.Opendir, 101, w => w.WritePath(_dir))).Type);

            Assert.Equal(SftpStatusCode.Ok, (await sftp.RequestAsync(SftpPacketType.Close, 102, w => w.WriteBytes(handles[0]))).Status);
            Assert.Equal(SftpPacketType.Handle, (await sftp.RequestAsync(SftpPacketType.Opendir, 103, w => w.WritePath(_dir))).Type);
            Assert.Equal(9, fs.Opened);

            // The client goes away with 8 handles open: the server closes each, then the file system.
            await sftp.Channel.CompleteWritingAsync();
            Assert.Null(await sftp.TryReceiveAsync());
        }

        Assert.Equal(fs.Opened, fs.Closed);
        Assert.True(fs.Disposed);
    }

    [Fact]
    public async Task Disk_full_and_permission_denied_come_back_as_clear_statuses()
    {
        await using RawSftpClient sftp = await RawSftpClient.StartAsync(new SftpServerOptions
        {
            FileSystemFactory = _ => new RefusingFileSystem(),
        });

        // /dev/full answers every write with ENOSPC.
        byte[] full = (await OpenAsync(sftp, 1, "/dev/full")).Handle;
        RawSftpClient.Reply written = await sftp.RequestAsync(SftpPacketType.Write, 2, w =>
        {
            w.WriteBytes(full);
            w.WriteUInt64(0);
            w.WriteBytes(new byte[4096]);
        });
        Assert.Equal((SftpStatusCode.Failure, "No space left on device"), (written.Status, written.StatusMessage));

        RawSftpClient.Reply denied = await sftp.RequestAsync(SftpPacketType.Remove, 3, w => w.WritePath("/anything"));
        Assert.Equal((SftpStatusCode.PermissionDenied, "Permission denied"), (denied.Status, denied.StatusMessage));

        // The session goes on.
        Assert.Equal(SftpStatusCode.Ok, (await sftp.RequestAsync(SftpPacketType.Close, 4, w => w.WriteBytes(full))).Status);
    }

    /// <summary>The local file system, except that removing anything is refused as .NET refuses it (UnauthorizedAccessException).</summary>
    private sealed class RefusingFileSystem : LocalFileSystem
    {
        public override ValueTask RemoveFileAsync(string path, CancellationToken cancellationToken) =>
            ValueTask.FromException(new UnauthorizedAccessException($"Access to the path '{path}' is denied."));
    }

    private static Task<RawSftpClient.Reply> OpenAsync(RawSftpClient sftp, uint id, string path) =>
        sftp.RequestAsync(SftpPacketType.Open, id, w =>
        {
            w.WritePath(path);
            w.WriteUInt32((uint)(SftpOpenFlags.Write | SftpOpenFlags.Create));
            SftpAttributes.Empty.Write(w);
        });

    private static byte[] Packet(SftpPacketType type, uint id, byte[] body)
    {
        byte[] packet = new byte[9 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(packet, (uint)(5 + body.Length));
        packet[4] = (byte)type;
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(5), id);
        body.CopyTo(packet, 9);
        return packet;
    }

    /// <summary>The local file system, counting files and directories opened and closed.</summary>
    private sealed class CountingFileSystem : LocalFileSystem
    {
        private int _opened;
        private int _closed;

        public int Opened => Volatile.Read(ref _opened);

        public int Closed => Volatile.Read(ref _closed);

        public bool Disposed { get; private set; }

        public override async ValueTask<SftpOpenFile> OpenFileAsync(string path, SftpOpenFlags flags, FileSystemAttributes attributes, CancellationToken cancellationToken)
        {
            SftpOpenFile file = await base.OpenFileAsync(path, flags, attributes, cancellationToken);
            Interlocked.Increment(ref _opened);
            return new CountedFile(file, this);
        }

        public override async ValueTask<SftpOpenDirectory> OpenDirectoryAsync(string path, CancellationToken cancellationToken)
        {
            SftpOpenDirectory directory = await base.OpenDirectoryAsync(path, cancellationToken);
            Interlocked.Increment(ref _opened);
            return new CountedDirectory(directory, this);
        }

        protected override ValueTask DisposeAsyncCore()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }

        private sealed class CountedFile(SftpOpenFile inner, CountingFileSystem owner) : SftpOpenFile
        {
            public override ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken) => inner.ReadAsync(offset, buffer, cancellationToken);

            public override ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => inner.WriteAsync(offset, data, cancellationToken);

            protected override async ValueTask DisposeAsyncCore()
            {
                await inner.DisposeAsync();
                Interlocked.Increment(ref owner._closed);
            }
        }

        private sealed class CountedDirectory(SftpOpenDirectory inner, CountingFileSystem owner) : SftpOpenDirectory
        {
            public override ValueTask<IReadOnlyList<DirectoryEntry>> ReadAsync(int maxEntries, CancellationToken cancellationToken) => inner.ReadAsync(maxEntries, cancellationToken);

            protected override async ValueTask DisposeAsyncCore()
            {
                await inner.DisposeAsync();
                Interlocked.Increment(ref owner._closed);
            }
        }
    }
}
