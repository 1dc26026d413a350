using System.Reactive.Linq;
using System.Text;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Interop;

/// <summary>zlib compression with OpenSSH both ways: Rx.Ssh client → sshd, ssh → Rx.Ssh server.</summary>
public sealed class CompressionInteropTests
{
    private static readonly string Lines = string.Concat(Enumerable.Range(1, 50_000).Select(i => i + "\n"));

    [Fact]
    public async Task Sshd_does_not_offer_plain_zlib_and_the_error_says_so()
    {
        await using SshdServer server = await SshdServer.StartAsync(new SshdOptions { ExtraLines = ["Compression yes"] });
        SshClientOptions options = ClientInterop.Options(server) with { Algorithms = SshAlgorithms.Default with { Compression = ["zlib"] } };
        SshKeyExchangeException error = await Assert.ThrowsAsync<SshKeyExchangeException>(() => ClientInterop.ConnectAsync(server, options));
        Assert.Contains("zlib@openssh.com", error.Theirs);
        Assert.DoesNotContain("zlib", error.Theirs);
    }

    [Fact]
    public async Task Delayed_zlib_with_sshd_carries_data_both_ways_across_a_rekey()
    {
        await using SshdServer server = await SshdServer.StartAsync(new SshdOptions { ExtraLines = ["Compression yes"] });
        var logs = new LogCollector(SshLogEvents.Transport.CompressionStarted);
        SshClientOptions options = ClientInterop.Options(server) with
        {
            Algorithms = SshAlgorithms.Default with { Compression = ["zlib@openssh.com", "none"] },
            LoggerFactory = logs,
        };
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(server, options);
        Assert.Equal("zlib@openssh.com", conn.Compression);

        byte[] input = Encoding.ASCII.GetBytes(Lines);
        SshCompletedProcess result = await conn.Run("sha256sum; seq 1 50000", new SshProcessOptions { Input = input });
        Assert.StartsWith(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(input)), result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith(Lines, result.Stdout, StringComparison.Ordinal);
        Assert.Equal(["incoming zlib@openssh.com", "outgoing zlib@openssh.com"], Transport.CompressionInMemoryTests.Started(logs));

        conn.Rekey();
        Assert.Equal("ok\n", (await conn.Run("echo ok")).Stdout);
        Assert.Equal(2, conn.Transport.KeyExchangeCount);
    }

    [Theory]
    [InlineData("zlib@openssh.com")]
    [InlineData("zlib")]
    public async Task Ssh_with_compression_talks_to_our_server(string method)
    {
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(new SshServerOptions
        {
            ProcessHandler = ServerInteropCommands.HandleAsync,
            Algorithms = SshAlgorithms.Default with { Compression = [method] },
        });
        // RekeyLimit makes ssh re-key during the transfer: each NEWKEYS starts fresh zlib streams.
        OpenSshClient ssh = server.Client().WithOptions("Compression=yes", "LogLevel=DEBUG1", "RekeyLimit=64K");
        byte[] input = Encoding.ASCII.GetBytes(Lines);

        ProcessResult result = await ssh.RunAsync("cat", input);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(input, result.Stdout);
        Assert.Contains("compression: " + method, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("compress outgoing: raw data", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("compress incoming: raw data", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("SSH2_MSG_KEXINIT sent", result.Stderr[(result.Stderr.IndexOf("Authenticated to", StringComparison.Ordinal) + 1)..], StringComparison.Ordinal);
    }
}
