using System.Text;
using Rx.Ssh.Sftp;
using Rx.Ssh.Sftp.Protocol;
using Rx.Ssh.Sftp.Server;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Sftp.Server;

/// <summary>
/// Our SFTP server's behaviour at the packet level: requests answered concurrently and out of
/// order, directory listings in large batches, and the extensions OpenSSH's sftp does not exercise.
/// </summary>
public sealed class SftpServerRequestTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rxssh-sftpreq-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_slow_request_does_not_hold_up_a_later_one()
    {
        var fs = new GatedFileSystem();
        await using RawSftpClient sftp = await RawSftpClient.StartAsync(new SftpServerOptions { FileSystemFactory = _ => fs });

        // STAT /slow waits until the test has seen the answer to the STAT /fast sent after it.
        await sftp.SendAsync(SftpPacketType.Stat, 1, w => w.WritePath("/slow"));
        await sftp.SendAsync(SftpPacketType.Stat, 2, w => w.WritePath("/fast"));

        RawSftpClient.Reply first = await sftp.ReceiveAsync();
        fs.Release();
        RawSftpClient.Reply second = await sftp.ReceiveAsync();
        Assert.Equal([2u, 1u], [first.Id, second.Id]);
        Assert.Equal(SftpPacketType.Attrs, second.Type);
    }

    [Fact]
    public async Task Directories_are_listed_in_large_batches()
    {
        for (int i = 0; i < 3000; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(_dir, $"file-{i:D5}"), []);
        }

        await using RawSftpClient sftp = await RawSftpClient.StartAsync(new SftpServerOptions());
        byte[] handle = (await sftp.RequestAsync(SftpPacketType.Opendir, 1, w => w.WritePath(_dir))).Handle;
        var counts = new List<int>();
        var names = new HashSet<string>();
        for (uint id = 2; ; id++)
        {
            RawSftpClient.Reply reply = await sftp.RequestAsync(SftpPacketType.Readdir, id, w => w.WriteBytes(handle));
            if (reply.Type == SftpPacketType.Status)
            {
                Assert.Equal(SftpStatusCode.Eof, reply.Status);
                break;
            }

            List<SftpName> batch = reply.Names;
            counts.Add(batch.Count);
            names.UnionWith(batch.Select(n => n.FileName));
        }

        Assert.Equal(3002, names.Count);
        Assert.True(counts.Count <= 3 && counts[0] >= 1000, string.Join(",", counts));
    }

    [Fact]
    public async Task Extensions_answer_as_OpenSsh_documents_them()
    {
        await using RawSftpClient sftp = await RawSftpClient.StartAsync(new SftpServerOptions { MaxOpenHandles = 77 });

        RawSftpClient.Reply limits = await sftp.RequestAsync(SftpPacketType.Extended, 1, w => w.WriteString(SftpExtensionNames.Limits));
        Assert.Equal(SftpPacketType.ExtendedReply, limits.Type);
        var r = new SftpPacketReader(limits.Body.Span);
        Assert.Equal(new SftpLimits(256 * 1024, 255 * 1024, 255 * 1024, 77), SftpLimits.Read(ref r));

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(home, (await sftp.RequestAsync(SftpPacketType.Extended, 2, w =>
        {
            w.WriteString(SftpExtensionNames.HomeDirectory);
            w.WriteString(string.Empty);
        })).Names.Single().FileName);
        Assert.Equal(home, (await sftp.RequestAsync(SftpPacketType.Extended, 3, w =>
        {
            w.WriteString(SftpExtensionNames.ExpandPath);
            w.WritePath("~");
        })).Names.Single().FileName);

        RawSftpClient.Reply names = await sftp.RequestAsync(SftpPacketType.Extended, 4, w =>
        {
            w.WriteString(SftpExtensionNames.UsersGroupsById);
            SftpUsersGroups.WriteRequest(w, [0, 4000000], [0]);
        });
        r = new SftpPacketReader(names.Body.Span);
        (List<string> users, List<string> groups) = SftpUsersGroups.ReadReply(ref r);
        Assert.Equal(["root", string.Empty], users);
        Assert.Equal(["root"], groups);

        // copy-data between two handles, then fsync and fstatvfs on the destination.
        string source = Path.Combine(_dir, "source");
        await File.WriteAllTextAsync(source, "0123456789");
        byte[] from = (await Open(sftp, 5, source, SftpOpenFlags.Read)).Handle;
        byte[] to = (await Open(sftp, 6, Path.Combine(_dir, "copy"), SftpOpenFlags.Write | SftpOpenFlags.Create)).Handle;
        Assert.Equal(SftpStatusCode.Ok, (await sftp.RequestAsync(SftpPacketType.Extended, 7, w =>
        {
            w.WriteString(SftpExtensionNames.CopyData);
            new SftpCopyDataRequest(from, 2, 0, to, 1).Write(w);
        })).Status);
        Assert.Equal(SftpStatusCode.Failure, (await sftp.RequestAsync(SftpPacketType.Extended, 8, w =>
        {
            w.WriteString(SftpExtensionNames.CopyData);
            new SftpCopyDataRequest(to, 0, 4, to, 2).Write(w);
        })).Status);
        Assert.Equal(SftpStatusCode.Ok, (await sftp.RequestAsync(SftpPacketType.Extended, 9, w =>
        {
            w.WriteString(SftpExtensionNames.Fsync);
            w.WriteBytes(to);
        })).Status);
        Assert.Equal(SftpPacketType.ExtendedReply, (await sftp.RequestAsync(SftpPacketType.Extended, 10, w =>
        {
            w.WriteString(SftpExtensionNames.FStatVfs);
            w.WriteBytes(to);
        })).Type);
        Assert.Equal(SftpStatusCode.Ok, (await sftp.RequestAsync(SftpPacketType.Close, 11, w => w.WriteBytes(to))).Status);
        Assert.Equal("\023456789", Encoding.ASCII.GetString(await File.ReadAllBytesAsync(Path.Combine(_dir, "copy"))));

        // posix-rename replaces; plain rename refuses; lsetstat on a link leaves its target alone.
        await File.WriteAllTextAsync(Path.Combine(_dir, "other"), "other");
        Assert.Equal(SftpStatusCode.Failure, (await sftp.RequestAsync(SftpPacketType.Rename, 12, w =>
        {
            w.WritePath(Path.Combine(_dir, "copy"));
            w.WritePath(Path.Combine(_dir, "other"));
        })).Status);
        Assert.Equal(SftpStatusCode.Ok, (await sftp.RequestAsync(SftpPacketType.Extended, 13, w =>
        {
            w.WriteString(SftpExtensionNames.PosixRename);
            w.WritePath(Path.Combine(_dir, "copy"));
            w.WritePath(Path.Combine(_dir, "other"));
        })).Status);
        File.CreateSymbolicLink(Path.Combine(_dir, "link"), "other");
        DateTimeOffset old = new(2001, 2, 3, 4, 5, 6, TimeSpan.Zero);
        Assert.Equal(SftpStatusCode.Ok, (await sftp.RequestAsync(SftpPacketType.Extended, 14, w =>
        {
            w.WriteString(SftpExtensionNames.LSetStat);
            w.WritePath(Path.Combine(_dir, "link"));
            new SftpAttributes { AccessTime = old, ModifyTime = old }.Write(w);
        })).Status);
        Assert.Equal(old.UtcDateTime, new FileInfo(Path.Combine(_dir, "link")).LastWriteTimeUtc);
        Assert.NotEqual(old.UtcDateTime, File.GetLastWriteTimeUtc(Path.Combine(_dir, "other")));
    }

    private static Task<RawSftpClient.Reply> Open(RawSftpClient sftp, uint id, string path, SftpOpenFlags flags) =>
        sftp.RequestAsync(SftpPacketType.Open, id, w =>
        {
            w.WritePath(path);
            w.WriteUInt32((uint)flags);
            SftpAttributes.Empty.Write(w);
        });

    /// <summary>A virtual file system whose <c>/slow</c> answers only once released.</summary>
    private sealed class GatedFileSystem : SftpFileSystem
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _gate.TrySetResult();

        public override async ValueTask<FileSystemAttributes> GetAttributesAsync(string path, bool followLinks, CancellationToken cancellationToken)
        {
            if (path == "/slow")
            {
                await _gate.Task.WaitAsync(TestTimeout.Default, cancellationToken);
            }

            return new FileSystemAttributes { Size = 1, Permissions = 0x81A4 };
        }
    }
}
