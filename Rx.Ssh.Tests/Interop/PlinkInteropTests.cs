using System.Text;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// PuTTY's plink against the Rx.Ssh server: every user key type as a .ppk made by puttygen, in batch
/// mode with the host key pinned by fingerprint, stdin and exit status.
/// </summary>
public sealed class PlinkInteropTests : IAsyncLifetime
{
    private RxSshServerUnderTest? _server;

    private RxSshServerUnderTest Server => _server!;

    public async Task InitializeAsync() =>
        _server = await RxSshServerUnderTest.StartAsync(new SshServerOptions { ProcessHandler = ServerInteropCommands.HandleAsync });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    private async Task<PlinkClient> ClientAsync(TestKey? key = null) => new()
    {
        Port = Server.Port,
        User = RxSshServerUnderTest.UserName,
        PpkFile = await InteropTools.PuttyKeyAsync(key ?? TestKeys.Ed25519),
        HostKeyFingerprints = [.. Server.Options.HostKeys.Select(k => k.PublicKey.GetFingerprint())],
    };

    [Theory]
    [InlineData(TestKeyType.Ed25519)]
    [InlineData(TestKeyType.Ecdsa256)]
    [InlineData(TestKeyType.Ecdsa384)]
    [InlineData(TestKeyType.Ecdsa521)]
    [InlineData(TestKeyType.Rsa2048)]
    public async Task Each_user_key_type_as_a_ppk_logs_in(TestKeyType type)
    {
        PlinkClient plink = await ClientAsync(TestKeys.Get(type));

        ProcessResult result = await plink.RunAsync("hello");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("hello tester\n", result.StdoutText);
    }

    [Fact]
    public async Task Stdin_stdout_stderr_and_exit_status_come_through()
    {
        PlinkClient plink = await ClientAsync();

        ProcessResult lines = await plink.RunAsync("lines", Encoding.ASCII.GetBytes("a\nb\nc\n"));
        ProcessResult failing = await plink.RunAsync("stderr oops");

        Assert.True(lines.ExitCode == 0, lines.ToString());
        Assert.Equal("3 lines, last=c\n", lines.StdoutText);
        Assert.Equal(3, failing.ExitCode);
        Assert.Equal("out\n", failing.StdoutText);
        Assert.Contains("oops", failing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_key_other_than_the_pinned_one_is_refused()
    {
        PlinkClient plink = await ClientAsync() with { HostKeyFingerprints = [InMemoryServer.HostKey.PublicKey.GetFingerprint()] };

        ProcessResult result = await plink.RunAsync("hello");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Host key not in manually configured list", result.Stderr, StringComparison.Ordinal);
    }
}
