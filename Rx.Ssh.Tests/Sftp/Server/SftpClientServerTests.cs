using System.Security.Cryptography;
using Rx.Ssh.Sftp;
using Rx.Ssh.Sftp.Server;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Sftp.Server;

/// <summary>Rx.Ssh's SFTP client against Rx.Ssh's SFTP server, in memory: a pipelined get and put of 32 MiB, a listing, a server-side copy.</summary>
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
}
