using System.Security.Cryptography;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Samples;

/// <summary>
/// sshfs (FUSE) mounting serve's SFTP: files written, read, listed, renamed and removed through
/// the mount land on the server's disk as they should. Needs <c>sshfs</c> and <c>/dev/fuse</c>
/// (build/test.sh installs sshfs); the mount is undone by the test.
/// </summary>
public sealed class ServeSshfsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rxssh-sshfs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Sshfs_mounts_serve_and_file_operations_reach_the_server()
    {
        Assert.True(File.Exists("/dev/fuse"), "no /dev/fuse");
        string exported = Directory.CreateDirectory(Path.Combine(_dir, "exported")).FullName;
        string mount = Directory.CreateDirectory(Path.Combine(_dir, "mnt")).FullName;
        byte[] there = RandomNumberGenerator.GetBytes(3_000_000);
        await File.WriteAllBytesAsync(Path.Combine(exported, "there.bin"), there);

        await using ServeUnderTest serve = await ServeUnderTest.StartAsync();
        ProcessResult mounted = await ProcessRunner.RunAsync(
            ProcessRunner.CreateStartInfo("sshfs", SshfsArguments(serve.Ssh, exported, mount), serve.Ssh.BuildEnvironment()), null, null, TestTimeout.Long);
        Assert.True(mounted.ExitCode == 0, mounted.ToString());
        try
        {
            Assert.Equal(there, await File.ReadAllBytesAsync(Path.Combine(mount, "there.bin")));
            byte[] here = RandomNumberGenerator.GetBytes(2_000_000);
            await File.WriteAllBytesAsync(Path.Combine(mount, "here.bin"), here);
            Directory.CreateDirectory(Path.Combine(mount, "sub"));
            File.Move(Path.Combine(mount, "here.bin"), Path.Combine(mount, "sub", "moved.bin"));
            File.Delete(Path.Combine(mount, "there.bin"));
            Assert.Equal(["sub"], Directory.GetFileSystemEntries(mount).Select(Path.GetFileName));

            Assert.Equal(here, await File.ReadAllBytesAsync(Path.Combine(exported, "sub", "moved.bin")));
            Assert.False(File.Exists(Path.Combine(exported, "there.bin")));
        }
        finally
        {
            ProcessResult unmounted = await ProcessRunner.RunAsync(ProcessRunner.CreateStartInfo("fusermount3", ["-u", mount], []), null, null, TestTimeout.Default);
            Assert.True(unmounted.ExitCode == 0, unmounted.ToString());
        }
    }

    // sshfs DEST:DIR MOUNT -o ssh_command='ssh ARGS' with ssh's arguments for serve (commas escaped: FUSE splits -o values on them).
    private static List<string> SshfsArguments(OpenSshClient ssh, string exported, string mount)
    {
        List<string> args = [.. ssh.BuildArguments(null)];
        string destination = args[^1];
        args.RemoveAt(args.Count - 1);
        string command = "ssh " + string.Join(' ', args).Replace(",", "\\,", StringComparison.Ordinal);
        return [destination + ":" + exported, mount, "-o", "ssh_command=" + command];
    }
}
