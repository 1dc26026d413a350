using Rx.Ssh.Samples;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Sftp.Server;

namespace Rx.Ssh.Tests.Samples;

/// <summary>simple_scp_server and serve's SCP, driven by OpenSSH's <c>scp</c> in both modes (<c>-O</c>: the rcp protocol; default: SFTP).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ScpServerSampleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rxssh-scpsample-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Simple_scp_server_is_listed() => Assert.NotNull(SampleCatalog.Find("simple_scp_server"));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Simple_scp_server_serves_scp_in_both_modes(bool legacy)
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "local.txt"), "from the client\n");
        await using SampleServer server = await SampleServer.StartAsync("simple_scp_server");
        string[] mode = legacy ? ["-O"] : [];

        ProcessResult up = await OpenSshSftp.ScpAsync(server.Ssh(), null, [.. mode, Path.Combine(_dir, "local.txt"), "REMOTE:" + Path.Combine(_dir, "sent.txt")]);
        Assert.True(up.ExitCode == 0, up.ToString());
        ProcessResult down = await OpenSshSftp.ScpAsync(server.Ssh(), null, [.. mode, "REMOTE:" + Path.Combine(_dir, "sent.txt"), Path.Combine(_dir, "back.txt")]);
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Equal("from the client\n", await File.ReadAllTextAsync(Path.Combine(_dir, "back.txt")));

        ProcessResult missing = await OpenSshSftp.ScpAsync(server.Ssh(), null, [.. mode, "REMOTE:" + Path.Combine(_dir, "nothing.txt"), _dir]);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("No such file", missing.Stderr, StringComparison.OrdinalIgnoreCase);

        // No shell: only scp commands and SFTP are served.
        Assert.NotEqual(0, (await server.Ssh().RunAsync("true")).ExitCode);
    }

    [Fact]
    public async Task Serve_answers_legacy_scp_recursively()
    {
        await using ServeUnderTest serve = await ServeUnderTest.StartAsync();
        string tree = Path.Combine(_dir, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "sub"));
        await File.WriteAllTextAsync(Path.Combine(tree, "sub", "f.txt"), "deep\n");

        ProcessResult up = await OpenSshSftp.ScpAsync(serve.Ssh, null, "-O", "-r", tree, "REMOTE:" + Path.Combine(_dir, "copy"));
        Assert.True(up.ExitCode == 0, up.ToString());
        ProcessResult down = await OpenSshSftp.ScpAsync(serve.Ssh, null, "-O", "-r", "REMOTE:" + Path.Combine(_dir, "copy"), Path.Combine(_dir, "back"));
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Equal("deep\n", await File.ReadAllTextAsync(Path.Combine(_dir, "back", "sub", "f.txt")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Serve_answers_scp_with_preserve_wildcards_and_errors_in_both_modes(bool legacy)
    {
        await using ServeUnderTest serve = await ServeUnderTest.StartAsync();
        string[] mode = legacy ? ["-O"] : [];
        string source = Path.Combine(_dir, "src");
        Directory.CreateDirectory(source);
        var stamp = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        foreach (string name in new[] { "a.log", "b.log", "c.txt" })
        {
            string file = Path.Combine(source, name);
            await File.WriteAllTextAsync(file, name + "\n");
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            File.SetLastWriteTimeUtc(file, stamp);
        }

        string up = Path.Combine(_dir, "up");
        Directory.CreateDirectory(up);
        ProcessResult put = await OpenSshSftp.ScpAsync(serve.Ssh, null, [.. mode, "-p", Path.Combine(source, "a.log"), "REMOTE:" + up]);
        Assert.True(put.ExitCode == 0, put.ToString());
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(up, "a.log")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(Path.Combine(up, "a.log")));

        string down = Path.Combine(_dir, "down");
        Directory.CreateDirectory(down);
        ProcessResult get = await OpenSshSftp.ScpAsync(serve.Ssh, null, [.. mode, "-p", "REMOTE:" + Path.Combine(source, "*.log"), down]);
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Equal(["a.log", "b.log"], Directory.GetFiles(down).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(down, "b.log")));

        ProcessResult missing = await OpenSshSftp.ScpAsync(serve.Ssh, null, [.. mode, "REMOTE:" + Path.Combine(source, "nothing.txt"), down]);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("No such file", missing.Stderr, StringComparison.OrdinalIgnoreCase);
    }
}
