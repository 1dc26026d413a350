using System.Security.Cryptography;
using Rx.Ssh.Sftp;
using Rx.Ssh.Sftp.Server;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Sftp.Server;

/// <summary>Rx.Ssh's SFTP client against Rx.Ssh's SFTP server, in memory: a pipelined get and put of 32 MiB, a listing, a server-side copy, a full disk.</summary>
public sealed class SftpClientServerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rxssh-sftpboth-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Our_client_gets_puts_lists_and_copies_on_our_server()
    {
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions() with
        {
            Subsystems = new Dictionary<string, SshSubsystemHandler> { [SftpSubsystem.Name] = SftpSubsystem.Create(new SftpServerOptions { Root = _dir }) },
        });
        await using SftpClient sftp = await pair.Client.StartSftpClientAsync().WaitAsync(TestTimeout.Default);

        string local = Path.Combine(_dir, "local.bin");
        await using (FileStream f = File.Create(local))
        {
            await new GeneratedStream(32L * 1024 * 1024).CopyToAsync(f);
        }

        byte[] expected = SHA256.HashData(await File.ReadAllBytesAsync(local));
        await sftp.PutAsync(local, "/put.bin").WaitAsync(TestTimeout.Long);
        Assert.Equal(expected, SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(_dir, "put.bin"))));

        string got = Path.Combine(Directory.CreateTempSubdirectory("rxssh-sftpget-").FullName, "got.bin");
        try
        {
            await sftp.GetAsync("put.bin", got).WaitAsync(TestTimeout.Long);
            Assert.Equal(expected, SHA256.HashData(await File.ReadAllBytesAsync(got)));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(got)!, recursive: true);
        }

        await sftp.CopyAsync("/put.bin", "/copy.bin").WaitAsync(TestTimeout.Long);
        Assert.Equal(expected, SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(_dir, "copy.bin"))));

        var names = new List<string>();
        await foreach (SftpName name in sftp.ListDirectoryAsync("/"))
        {
            names.Add(name.FileName);
        }

        Assert.Superset(new HashSet<string> { "local.bin", "put.bin", "copy.bin" }, names.ToHashSet());
    }

    [Fact]
    public async Task A_full_disk_fails_the_upload_with_a_clear_status_the_handle_closed_and_the_session_unaffected()
    {
        var fs = new FillingFileSystem(_dir, room: 1_000_000);
        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions() with
        {
            Subsystems = new Dictionary<string, SshSubsystemHandler> { [SftpSubsystem.Name] = SftpSubsystem.Create(new SftpServerOptions { FileSystemFactory = _ => fs }) },
        });
        await using SftpClient sftp = await pair.Client.StartSftpClientAsync().WaitAsync(TestTimeout.Default);
        string local = Path.Combine(_dir, "local.bin");
        await using (FileStream f = File.Create(local))
        {
            await new GeneratedStream(5L * 1024 * 1024).CopyToAsync(f);
        }

        SftpException full = await Assert.ThrowsAsync<SftpException>(() => sftp.PutAsync(local, "/up.bin").WaitAsync(TestTimeout.Long));
        Assert.Equal((SftpStatusCode.Failure, "No space left on device"), (full.Code, full.Message));
        await fs.AllClosed.WaitAsync(TestTimeout.Default);

        // What was acknowledged in order is kept (a prefix of the source), and the session goes on.
        long kept = new FileInfo(Path.Combine(_dir, "up.bin")).Length;
        Assert.InRange(kept, 0, 1_000_000);
        Assert.Equal((await File.ReadAllBytesAsync(local)).AsSpan(0, (int)kept).ToArray(), await File.ReadAllBytesAsync(Path.Combine(_dir, "up.bin")));
        Assert.True(await sftp.IsFileAsync("/up.bin").WaitAsync(TestTimeout.Default));
    }

    /// <summary>The local file system under a root, whose files refuse writes past <c>room</c> bytes as a full disk does (IOException, ENOSPC).</summary>
    private sealed class FillingFileSystem(string root, long room) : LocalFileSystem(root)
    {
        private readonly TaskCompletionSource _allClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _open;

        public long Room => room;

        public Task AllClosed => _allClosed.Task;

        public override async ValueTask<SftpOpenFile> OpenFileAsync(string path, SftpOpenFlags flags, FileSystemAttributes attributes, CancellationToken cancellationToken)
        {
            SftpOpenFile file = await base.OpenFileAsync(path, flags, attributes, cancellationToken);
            Interlocked.Increment(ref _open);
            return new Filling(file, this);
        }

        private void Closed()
        {
            if (Interlocked.Decrement(ref _open) == 0)
            {
                _allClosed.TrySetResult();
            }
        }

        private sealed class Filling(SftpOpenFile inner, FillingFileSystem owner) : SftpOpenFile
        {
            public override ValueTask<int> ReadAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken) => inner.ReadAsync(offset, buffer, cancellationToken);

            public override ValueTask WriteAsync(long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
                offset + data.Length > owner.Room
                    ? ValueTask.FromException(new IOException("No space left on device : '/up.bin'", 28))
                    : inner.WriteAsync(offset, data, cancellationToken);

            public override ValueTask<FileSystemAttributes> GetAttributesAsync(CancellationToken cancellationToken) => inner.GetAttributesAsync(cancellationToken);

            public override ValueTask SetAttributesAsync(FileSystemAttributes attributes, CancellationToken cancellationToken) => inner.SetAttributesAsync(attributes, cancellationToken);

            protected override async ValueTask DisposeAsyncCore()
            {
                await inner.DisposeAsync();
                owner.Closed();
            }
        }
    }
}
