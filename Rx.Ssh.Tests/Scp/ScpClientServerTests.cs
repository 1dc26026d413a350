using System.Reactive.Threading.Tasks;
using Rx.Ssh.Sftp;
using Rx.Ssh.Sftp.Server;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Samples;
using Rx.Ssh.Tests.Sftp;

namespace Rx.Ssh.Tests.Scp;

/// <summary>Our <see cref="ScpClient"/> against our <see cref="ScpServer"/> with a root: a tree both ways, and the root holds.</summary>
public sealed class ScpClientServerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rxscp-ours-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_tree_goes_up_and_down_inside_the_root()
    {
        string root = Directory.CreateDirectory(Path.Combine(_dir, "root")).FullName;
        string tree = Path.Combine(_dir, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "sub"));
        byte[] hash = SftpTestFiles.WriteRandomFile(Path.Combine(tree, "sub", "data.bin"), 2_000_000);
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(new SshServerOptions
        {
            ProcessHandler = ScpServer.CreateProcessHandler(_ => new LocalFileSystem(root)),
        });
        SshClientOptions clientOptions = ClientSampleRun.Context(server.Port, server.KnownHostsPath, TestKeys.Ed25519.PrivateKeyPath, RxSshServerUnderTest.UserName).ClientOptions;
        await using SshClientConnection connection = await SshClient.ConnectAsync("127.0.0.1", server.Port, clientOptions);
        var options = new ScpCopyOptions { Recursive = true, Preserve = true };

        await ScpClient.Copy(tree, (connection, "/up"), options).ToTask().WaitAsync(TestTimeout.Long);
        await ScpClient.Copy((connection, "/up"), Path.Combine(_dir, "down"), options).ToTask().WaitAsync(TestTimeout.Long);
        await ScpClient.Copy(tree, (connection, "../../escaped"), options).ToTask().WaitAsync(TestTimeout.Long);

        Assert.Equal(hash, SftpTestFiles.Sha256(Path.Combine(root, "up", "sub", "data.bin")));
        Assert.Equal(hash, SftpTestFiles.Sha256(Path.Combine(_dir, "down", "sub", "data.bin")));
        // "../../escaped" is clamped at the root.
        Assert.True(Directory.Exists(Path.Combine(root, "escaped")));
        Assert.False(Directory.Exists(Path.Combine(_dir, "escaped")));
    }
}
