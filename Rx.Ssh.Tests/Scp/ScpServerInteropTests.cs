using System.Runtime.Versioning;
using System.Security.Cryptography;
using Rx.Ssh.Sftp.Server;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Sftp.Server;

namespace Rx.Ssh.Tests.Scp;

/// <summary>
/// OpenSSH's <c>scp</c> against our server in both of its modes: <c>-O</c> (the legacy rcp
/// protocol, our <see cref="ScpServer"/>) and its default SFTP mode (our SFTP subsystem), over
/// one <see cref="LocalFileSystem"/>.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ScpServerInteropTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rxssh-scpd-").FullName;
    private RxSshServerUnderTest _server = null!;

    public async Task InitializeAsync() => _server = await StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    public static TheoryData<bool> Modes => new() { true, false };

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Copies_one_file_each_way(bool legacy)
    {
        string source = Path.Combine(_dir, "source.txt");
        await File.WriteAllTextAsync(source, "hello scp\n");
        await ScpOkAsync(legacy, source, "REMOTE:" + Path.Combine(_dir, "up.txt"));
        await ScpOkAsync(legacy, "REMOTE:" + Path.Combine(_dir, "up.txt"), Path.Combine(_dir, "down.txt"));
        Assert.Equal("hello scp\n", await File.ReadAllTextAsync(Path.Combine(_dir, "down.txt")));

        // Into an existing directory: the name is kept.
        Directory.CreateDirectory(Path.Combine(_dir, "into"));
        await ScpOkAsync(legacy, source, "REMOTE:" + Path.Combine(_dir, "into"));
        Assert.Equal("hello scp\n", await File.ReadAllTextAsync(Path.Combine(_dir, "into", "source.txt")));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Recursive_copy_with_preserve_keeps_tree_modes_and_times(bool legacy)
    {
        string tree = Path.Combine(_dir, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "sub", "deeper"));
        await File.WriteAllTextAsync(Path.Combine(tree, "a.txt"), "a");
        await File.WriteAllTextAsync(Path.Combine(tree, "sub", "b.txt"), "bb");
        await File.WriteAllBytesAsync(Path.Combine(tree, "sub", "deeper", "empty.bin"), []);
        File.SetUnixFileMode(Path.Combine(tree, "a.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var stamp = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(Path.Combine(tree, "sub", "b.txt"), stamp);

        string uploaded = Path.Combine(_dir, "uploaded");
        await ScpOkAsync(legacy, "-r", "-p", tree, "REMOTE:" + uploaded);
        string downloaded = Path.Combine(_dir, "downloaded");
        await ScpOkAsync(legacy, "-r", "-p", "REMOTE:" + uploaded, downloaded);

        foreach (string copy in new[] { uploaded, downloaded })
        {
            Assert.Equal("a", await File.ReadAllTextAsync(Path.Combine(copy, "a.txt")));
            Assert.Equal("bb", await File.ReadAllTextAsync(Path.Combine(copy, "sub", "b.txt")));
            Assert.Empty(await File.ReadAllBytesAsync(Path.Combine(copy, "sub", "deeper", "empty.bin")));
            Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(copy, "sub", "b.txt")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(copy, "a.txt")));
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Wildcards_are_resolved_by_the_server(bool legacy)
    {
        string remote = Path.Combine(_dir, "remote");
        Directory.CreateDirectory(remote);
        foreach (string name in new[] { "one.txt", "two.txt", "three.log" })
        {
            await File.WriteAllTextAsync(Path.Combine(remote, name), name);
        }

        string local = Path.Combine(_dir, "local");
        Directory.CreateDirectory(local);
        await ScpOkAsync(legacy, "REMOTE:" + remote + "/*.txt", local);
        Assert.Equal(["one.txt", "two.txt"], Directory.GetFiles(local).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("two.txt", await File.ReadAllTextAsync(Path.Combine(local, "two.txt")));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_missing_file_is_an_error_and_the_others_are_still_copied(bool legacy)
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "there.txt"), "there");
        string local = Path.Combine(_dir, "local");
        Directory.CreateDirectory(local);

        ProcessResult result = await ScpAsync(legacy, "REMOTE:" + Path.Combine(_dir, "missing.txt"), "REMOTE:" + Path.Combine(_dir, "there.txt"), local);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("No such file", result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("there", await File.ReadAllTextAsync(Path.Combine(local, "there.txt")));
        Assert.False(File.Exists(Path.Combine(local, "missing.txt")));
    }

    [Fact]
    public async Task Legacy_upload_to_a_missing_directory_fails_cleanly()
    {
        string a = Path.Combine(_dir, "a.txt");
        await File.WriteAllTextAsync(a, "a");
        ProcessResult result = await ScpAsync(true, a, a, "REMOTE:" + Path.Combine(_dir, "nodir", "x"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(_dir, "nodir")));
    }

    [Fact]
    public async Task Legacy_copies_64_MiB_both_ways_with_equal_sha256()
    {
        string source = Path.Combine(_dir, "big.bin");
        await using (FileStream f = File.Create(source))
        {
            await new GeneratedStream(64L * 1024 * 1024).CopyToAsync(f);
        }

        string uploaded = Path.Combine(_dir, "uploaded.bin");
        string downloaded = Path.Combine(_dir, "downloaded.bin");
        ProcessResult up = await OpenSshSftp.ScpAsync(_server.Client(), TestTimeout.Long, "-O", source, "REMOTE:" + uploaded);
        Assert.True(up.ExitCode == 0, up.ToString());
        ProcessResult down = await OpenSshSftp.ScpAsync(_server.Client(), TestTimeout.Long, "-O", "REMOTE:" + uploaded, downloaded);
        Assert.True(down.ExitCode == 0, down.ToString());

        byte[] expected = await HashAsync(source);
        Assert.Equal(expected, await HashAsync(uploaded));
        Assert.Equal(expected, await HashAsync(downloaded));
    }

    internal static Task<RxSshServerUnderTest> StartAsync(string root = "/") => RxSshServerUnderTest.StartAsync(new SshServerOptions
    {
        Subsystems = new Dictionary<string, SshSubsystemHandler> { [SftpSubsystem.Name] = SftpSubsystem.Create(new SftpServerOptions { Root = root }) },
        ProcessHandler = ScpServer.CreateProcessHandler(_ => new LocalFileSystem(root)),
    });

    private static async Task<byte[]> HashAsync(string path)
    {
        await using FileStream f = File.OpenRead(path);
        return await SHA256.HashDataAsync(f);
    }

    private Task<ProcessResult> ScpAsync(bool legacy, params string[] arguments) =>
        OpenSshSftp.ScpAsync(_server.Client(), null, legacy ? ["-O", .. arguments] : arguments);

    private async Task ScpOkAsync(bool legacy, params string[] arguments)
    {
        ProcessResult result = await ScpAsync(legacy, arguments);
        Assert.True(result.ExitCode == 0, result.ToString());
    }
}
