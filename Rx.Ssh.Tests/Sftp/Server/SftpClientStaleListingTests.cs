using Rx.Ssh.Sftp;
using Rx.Ssh.Sftp.Server;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Sftp.Server;

/// <summary>
/// A recursive download sends a file's READs with its FSTAT, sized from the listing; the FSTAT's
/// size decides. A server whose listing lies about sizes (as a listing made before the files changed
/// would) still gives every file's real content.
/// </summary>
public sealed class SftpClientStaleListingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rxssh-sftpstale-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_tree_whose_listing_has_stale_sizes_downloads_the_real_files()
    {
        string remote = Directory.CreateDirectory(Path.Combine(_dir, "remote", "tree")).FullName;
        var rng = new Random(13);
        var expected = new Dictionary<string, byte[]>();
        foreach ((string name, int size) in new[] { ("grew.bin", 3 * 256 * 1024 + 17), ("shrank.bin", 1000), ("same.bin", 64 * 1024), ("empty.bin", 0) })
        {
            byte[] content = new byte[size];
            rng.NextBytes(content);
            await File.WriteAllBytesAsync(Path.Combine(remote, name), content);
            expected[name] = content;
        }

        await using InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions() with
        {
            Subsystems = new Dictionary<string, SshSubsystemHandler>
            {
                [SftpSubsystem.Name] = SftpSubsystem.Create(new SftpServerOptions { FileSystemFactory = _ => new StaleListingFileSystem(Path.Combine(_dir, "remote")) }),
            },
        });
        await using SftpClient sftp = await pair.Client.StartSftpClientAsync().WaitAsync(TestTimeout.Default);

        string local = Path.Combine(_dir, "local");
        SftpProgress done = await sftp.GetAsync("/tree", local, new SftpTransferOptions { Recursive = true }).WaitAsync(TestTimeout.Long);

        foreach ((string name, byte[] content) in expected)
        {
            Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(local, name)));
        }

        Assert.Equal(expected.Values.Sum(c => (long)c.Length), done.BytesDone);
        Assert.Equal(done.TotalBytes, done.BytesDone);
    }

    /// <summary>The disk under a root, but listings say grew.bin has 10 bytes, shrank.bin 300,000, empty.bin 5.</summary>
    private sealed class StaleListingFileSystem(string root) : LocalFileSystem(root)
    {
        public override async ValueTask<SftpOpenDirectory> OpenDirectoryAsync(string path, CancellationToken cancellationToken) =>
            new StaleDirectory(await base.OpenDirectoryAsync(path, cancellationToken));
    }

    private sealed class StaleDirectory(SftpOpenDirectory inner) : SftpOpenDirectory
    {
        public override async ValueTask<IReadOnlyList<DirectoryEntry>> ReadAsync(int maxEntries, CancellationToken cancellationToken)
        {
            IReadOnlyList<DirectoryEntry> entries = await inner.ReadAsync(maxEntries, cancellationToken);
            return entries.Select(e => e.Name switch
            {
                "grew.bin" => e with { Attributes = e.Attributes with { Size = 10 } },
                "shrank.bin" => e with { Attributes = e.Attributes with { Size = 300_000 } },
                "empty.bin" => e with { Attributes = e.Attributes with { Size = 5 } },
                _ => e,
            }).ToList();
        }

        protected override ValueTask DisposeAsyncCore() => inner.DisposeAsync();
    }
}
