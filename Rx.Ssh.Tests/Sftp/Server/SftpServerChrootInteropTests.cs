using Rx.Ssh.Sftp.Server;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Sftp.Server;

/// <summary>OpenSSH's <c>sftp</c> against our server with a root: every escape attempt refused, nothing outside read or changed.</summary>
public sealed class SftpServerChrootInteropTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rxssh-sftpchroot-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Chroot_escapes_through_sftp_are_refused()
    {
        string root = Path.Combine(_dir, "root");
        string outside = Path.Combine(_dir, "outside");
        Directory.CreateDirectory(root);
        Directory.CreateDirectory(outside);
        string secret = Path.Combine(outside, "secret");
        await File.WriteAllTextAsync(secret, "secret");
        await File.WriteAllTextAsync(Path.Combine(root, "mine"), "mine");
        File.CreateSymbolicLink(Path.Combine(root, "abs"), secret);
        File.CreateSymbolicLink(Path.Combine(root, "rel"), "../outside/secret");
        Directory.CreateSymbolicLink(Path.Combine(root, "dir"), outside);
        string local = Path.Combine(_dir, "local");
        Directory.CreateDirectory(local);
        await File.WriteAllTextAsync(Path.Combine(local, "mine-local"), "planted");
        DateTime secretTime = File.GetLastWriteTimeUtc(secret);
        await using RxSshServerUnderTest server = await SftpServerInteropTests.StartAsync(new SftpServerOptions { Root = root });

        // Each attempt may fail (leading -) without ending the batch; what happened is checked afterwards.
        ProcessResult result = await OpenSshSftp.BatchAsync(server.Client(), $"""
            pwd
            cd ..
            pwd
            lcd {local}
            -get ../outside/secret s1
            -get {secret} s2
            -get abs s3
            -get rel s4
            -get dir/secret s5
            -get /../../outside/secret s6
            -put mine-local ../outside/planted
            -put mine-local dir/planted
            -rename mine ../outside/moved
            -rename mine dir/moved
            -ln mine dir/hard
            -ln -s {secret} dir/link
            -rm dir/secret
            -mkdir ../outside/newdir
            -mkdir dir/newdir
            -chmod 777 dir/secret
            -chmod 777 abs
            ls -la
            """);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["mine-local"], Directory.GetFiles(local).Select(Path.GetFileName));
        Assert.Equal(["secret"], Directory.GetFileSystemEntries(outside).Select(Path.GetFileName));
        Assert.Equal("secret", await File.ReadAllTextAsync(secret));
        Assert.Equal(secretTime, File.GetLastWriteTimeUtc(secret));
        var attributes = await new LocalFileSystem().GetAttributesAsync(secret, followLinks: false, default);
        Assert.Equal(0u, attributes.Permissions & 0x2);
        Assert.Equal(
            ["Remote working directory: /", "Remote working directory: /"],
            result.StdoutText.Split('\n').Where(l => l.StartsWith("Remote working directory", StringComparison.Ordinal)));
        Assert.True(File.Exists(Path.Combine(root, "mine")));
        Assert.Contains("mine", result.StdoutText, StringComparison.Ordinal);
    }
}
