using Rx.Ssh.Sftp;
using Rx.Ssh.Sftp.Server;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Sftp.Server;

/// <summary>
/// The confined <see cref="LocalFileSystem"/> between resolving a path and using it. A second
/// session on the same root can build a link that points outside once moved (a relative target
/// stored for one directory, renamed into a shallower one) and swap it in for a directory of a
/// path another request has just resolved; the process-wide confinement lock makes that swap wait
/// until the resolved path has been used, and directory listings look at entries through the
/// directory's descriptor, not its path. The steps are driven by hand: a file system whose
/// <c>MapPath</c> runs the other session's swap between the two steps.
/// </summary>
public sealed class LocalFileSystemConfinementRaceTests : IDisposable
{
    private readonly string _base = Directory.CreateTempSubdirectory("rxssh-race-").FullName;
    private readonly string _root;
    private readonly string _outside;

    public LocalFileSystemConfinementRaceTests()
    {
        _root = Directory.CreateDirectory(Path.Combine(_base, "root")).FullName;
        _outside = Directory.CreateDirectory(Path.Combine(_base, "outside")).FullName;
        File.WriteAllText(Path.Combine(_outside, "secret"), "top secret");
        Directory.CreateDirectory(Path.Combine(_root, "d"));
        File.WriteAllText(Path.Combine(_root, "d", "secret"), "inside");
        Directory.CreateDirectory(Path.Combine(_root, "a"));
    }

    public void Dispose() => Directory.Delete(_base, recursive: true);

    [Fact]
    public async Task A_session_cannot_swap_a_directory_for_an_escaping_link_between_another_requests_resolution_and_its_use()
    {
        var other = new LocalFileSystem(_root);

        // Stored as "../outside" for /a; harmless there (root/outside), but at root level it is base/outside.
        await other.CreateSymbolicLinkAsync("/a/l", "/outside", default);
        Assert.Equal("../outside", new FileInfo(Path.Combine(_root, "a", "l")).LinkTarget);

        Task? swap = null;
        var stepped = new SteppedFileSystem(_root)
        {
            BetweenSteps = () =>
            {
                // The other session moves d away and the link into its place, while this request holds root/d/secret.
                swap = Task.Run(async () =>
                {
                    await other.RenameAsync("/d", "/d2", replace: false, default);
                    await other.RenameAsync("/a/l", "/d", replace: false, default);
                });
                Assert.True(SpinWait.SpinUntil(() => swap.IsCompleted || LocalFileSystem.ConfinementLock.WaitingWriteCount > 0, TestTimeout.Default));
                Assert.False(swap.IsCompleted);
            },
        };

        await using (SftpOpenFile file = await stepped.OpenFileAsync("/d/secret", SftpOpenFlags.Read, FileSystemAttributes.Empty, default))
        {
            byte[] buffer = new byte[64];
            int n = await file.ReadAsync(0, buffer, default);
            Assert.Equal("inside", System.Text.Encoding.ASCII.GetString(buffer, 0, n));
        }

        // The swap went ahead once the open was done; the link it moved is now resolved (clamped) inside the root.
        await swap!.WithTimeout();
        Assert.Equal("../outside", new FileInfo(Path.Combine(_root, "d")).LinkTarget);
        stepped.BetweenSteps = null;
        SftpFileSystemException missing = await Assert.ThrowsAsync<SftpFileSystemException>(() => stepped.OpenFileAsync("/d/secret", SftpOpenFlags.Read, FileSystemAttributes.Empty, default).AsTask());
        Assert.Equal(FileSystemError.NoSuchFile, missing.Error);
    }

    [Fact]
    public async Task A_listing_looks_at_its_entries_through_the_opened_directory_after_a_swap_on_the_host()
    {
        var fs = new LocalFileSystem(_root);
        await using SftpOpenDirectory listing = await fs.OpenDirectoryAsync("/d", default);

        // Another process swaps d for a link to a directory outside holding a file of the same name.
        Directory.Move(Path.Combine(_root, "d"), Path.Combine(_root, "d2"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "d"), _outside);

        var sizes = new Dictionary<string, long?>();
        IReadOnlyList<DirectoryEntry> batch;
        while ((batch = await listing.ReadAsync(100, default)).Count > 0)
        {
            foreach (DirectoryEntry entry in batch)
            {
                sizes[entry.Name] = (long?)entry.Attributes.Size;
            }
        }

        Assert.Equal(6, sizes["secret"]); // "inside", not the outside file's 10 bytes
    }

    /// <summary>A confined file system that runs <see cref="BetweenSteps"/> after resolving each path, before it is used.</summary>
    private sealed class SteppedFileSystem(string root) : LocalFileSystem(root)
    {
        public Action? BetweenSteps { get; set; }

        protected override string MapPath(string path, bool followFinalLink)
        {
            string host = base.MapPath(path, followFinalLink);
            BetweenSteps?.Invoke();
            return host;
        }
    }
}
