using System.Net;
using System.Reactive.Linq;
using System.Security.Cryptography;
using Rx.Ssh;
using Rx.Ssh.Sftp;
using Rx.Ssh.Sftp.Server;

// Client and server in one process on 127.0.0.1: public-key login with a checked host key, one
// command run through the server's process handler, one SFTP download checked by its SHA-256.
// Prints one line per step; exit code 0 only when every step gave what it should.
string root = Directory.CreateTempSubdirectory("rxssh-aot-").FullName;
try
{
    byte[] content = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
    await File.WriteAllBytesAsync(Path.Combine(root, "data.bin"), content);

    using SshPrivateKey hostKey = SshPrivateKey.Generate("ssh-ed25519");
    using SshPrivateKey userKey = SshPrivateKey.Generate("ecdsa-sha2-nistp256");
    var serverOptions = new SshServerOptions
    {
        Address = IPAddress.Loopback,
        Port = 0,
        HostKeys = [hostKey],
        PublicKeyValidator = (_, key) => ValueTask.FromResult(key.Equals(userKey.PublicKey)),
        ProcessHandler = async process =>
        {
            await process.Stdout.WriteAsync($"ran '{process.Command}' as {process.UserName}\n");
            await process.ExitAsync(7);
        },
        Subsystems = new Dictionary<string, SshSubsystemHandler>
        {
            [SftpSubsystem.Name] = SftpSubsystem.Create(new SftpServerOptions { Root = root }),
        },
    };

    await using SshListener listener = await SshServer.StartAsync(serverOptions);
    var clientOptions = new SshClientOptions
    {
        UserName = "aot",
        Config = SshConfig.Empty, // a self-contained smoke test: the machine's ~/.ssh/config is not its business
        Keys = [userKey],
        UseDefaultKeys = false,
        HostKeyVerifier = new CallbackHostKeyVerifier(context => context.Key?.Equals(hostKey.PublicKey) == true),
    };

    await using SshClientConnection connection = await SshClient.ConnectAsync("127.0.0.1", listener.Port, clientOptions);
    Console.WriteLine($"connected: {connection.RemoteVersion}");

    SshCompletedProcess result = await connection.Run("hello");
    Console.Write($"exec: {result.Stdout}");
    Console.WriteLine($"exit: {result.ExitStatus}");

    await using SftpClient sftp = await connection.StartSftpClientAsync();
    string local = Path.Combine(root, "copy.bin");
    SftpProgress done = await sftp.GetAsync("/data.bin", local);
    bool same = SHA256.HashData(await File.ReadAllBytesAsync(local)).AsSpan().SequenceEqual(SHA256.HashData(content));
    Console.WriteLine($"sftp get: {done.BytesDone} bytes, sha256 {(same ? "equal" : "DIFFERENT")}");

    return result.ExitStatus == 7 && same ? 0 : 1;
}
finally
{
    Directory.Delete(root, recursive: true);
}
