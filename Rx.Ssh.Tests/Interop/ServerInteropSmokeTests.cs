using System.Security.Cryptography;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;
using Xunit;

namespace Rx.Ssh.Tests.Interop;

/// <summary>OpenSSH's ssh against the Rx.Ssh server: the basics (fuller coverage lives beside it).</summary>
public sealed class ServerInteropSmokeTests : IAsyncLifetime
{
    private RxSshServerUnderTest? _server;

    public async Task InitializeAsync() =>
        _server = await RxSshServerUnderTest.StartAsync(new SshServerOptions
        {
            HostKeys = [InMemoryServer.HostKey],
            AuthorizedKeys = _ => AuthorizedKeysFile.Parse(TestKeys.Ed25519.PublicKeyLine + "\n"),
            ProcessHandler = HandleAsync,
        });

    public async Task DisposeAsync() => await _server!.DisposeAsync();

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

    private OpenSshClient Ssh => _server!.Client(TestKeys.Ed25519);

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
