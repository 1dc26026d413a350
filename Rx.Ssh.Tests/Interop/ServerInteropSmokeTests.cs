using System.Security.Cryptography;
using System.Text;
using Rx.Ssh.Keys;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;
using Xunit;

namespace Rx.Ssh.Tests.Interop;

/// <summary>OpenSSH's ssh against the Rx.Ssh server: the basics (fuller coverage lives beside it).</summary>
public sealed class ServerInteropSmokeTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rxssh-srv-").FullName;
    private SshListener? _listener;

    public async Task InitializeAsync()
    {
        SshPrivateKey hostKey = InMemoryServer.HostKey;
        AuthorizedKeysFile authorized = AuthorizedKeysFile.Parse(TestKeys.Ed25519.PublicKeyLine + "\n");
        _listener = await SshServer.StartAsync(new SshServerOptions
        {
            Port = 0,
            HostKeys = [hostKey],
            AuthorizedKeys = _ => authorized,
            ProcessHandler = HandleAsync,
        });
        await File.WriteAllTextAsync(Path.Combine(_dir, "known_hosts"), KnownHostsFile.FormatEntry("127.0.0.1", _listener.Port, hostKey.PublicKey, hashed: false) + "\n");
    }

    public async Task DisposeAsync()
    {
        if (_listener is not null)
        {
            await _listener.DisposeAsync();
            await _listener.DisconnectAllAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }

    private static async Task HandleAsync(SshServerProcess process)
    {
        switch (process.Command)
        {
            case "count":
                {
                    byte[] buffer = new byte[65536];
                    long total = 0;
                    using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                    int n;
                    while ((n = await process.Stdin.ReadAsync(buffer)) > 0)
                    {
                        total += n;
                        sha.AppendData(buffer, 0, n);
                    }

                    await process.Stdout.WriteLineAsync($"{total} {Convert.ToHexStringLower(sha.GetHashAndReset())}");
                    break;
                }

            case { } c when c.StartsWith("zeros ", StringComparison.Ordinal):
                {
                    long size = long.Parse(c[6..], System.Globalization.CultureInfo.InvariantCulture);
                    byte[] chunk = new byte[65536];
                    for (long sent = 0; sent < size; sent += chunk.Length)
                    {
                        await process.Stdout.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, size - sent)));
                    }

                    break;
                }

            default:
                await process.Stdout.WriteLineAsync($"ran {process.Command} as {process.UserName}");
                await process.Stderr.WriteLineAsync("to stderr");
                process.ExitStatus = 7;
                break;
        }
    }

    private OpenSshClient Ssh => new()
    {
        Port = _listener!.Port,
        User = "tester",
        IdentityFile = TestKeys.Ed25519.PrivateKeyPath,
        KnownHostsFile = Path.Combine(_dir, "known_hosts"),
    };

    [Fact]
    public async Task ExecWithKeyAuthReturnsOutputAndExitStatus()
    {
        ProcessResult result = await Ssh.RunAsync("hello world");

        Assert.Equal(7, result.ExitCode);
        Assert.Equal("ran hello world as tester\n", result.StdoutText);
        Assert.Contains("to stderr", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StdinAndStdoutCarryTenMegabytes()
    {
        byte[] data = RandomNumberGenerator.GetBytes(10 * 1024 * 1024);
        ProcessResult up = await Ssh.RunAsync("count", data);
        Assert.Equal(0, up.ExitCode);
        Assert.Equal($"{data.Length} {Convert.ToHexStringLower(SHA256.HashData(data))}\n", up.StdoutText);

        var sink = new MemoryStream();
        ProcessResult down = await Ssh.RunAsync("zeros 10485760", null, sink);
        Assert.Equal(0, down.ExitCode);
        Assert.Equal(10485760, sink.Length);
    }
}
