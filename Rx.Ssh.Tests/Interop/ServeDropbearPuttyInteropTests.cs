using Rx.Ssh.Keys;
using Rx.Ssh.Samples.Serve;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// The serve sample (in-process, free loopback port, its default: the hardened algorithm profile) used
/// from Dropbear's dbclient and PuTTY's plink: a command runs through /bin/sh and its output and exit
/// status come back. dbclient has only non-EtM MACs, so with the hardened profile it logs in with
/// chacha20-poly1305 (its first choice) but not with an AES-CTR cipher; <c>--compatible</c> serves that too.
/// </summary>
public sealed class ServeDropbearPuttyInteropTests : IAsyncLifetime
{
    private readonly SshPrivateKey _hostKey = SshPrivateKey.Generate("ssh-ed25519");
    private SshListener? _serve;

    private SshListener Serve => _serve!;

    public async Task InitializeAsync() =>
        _serve = await ServeServer.StartAsync(new ServeSettings
        {
            Port = 0,
            HostKeys = [_hostKey],
            AuthorizedKeys = AuthorizedKeysFile.Parse(TestKeys.AuthorizedKeysText(TestKeys.Unencrypted)),
        }).WithTimeout();

    public async Task DisposeAsync()
    {
        if (_serve is not null)
        {
            await _serve.DisconnectAllAsync().WithTimeout();
            await _serve.DisposeAsync();
        }

        _hostKey.Dispose();
    }

    [Theory]
    [InlineData(TestKeyType.Ed25519)]
    [InlineData(TestKeyType.Ecdsa256)]
    [InlineData(TestKeyType.Rsa2048)]
    public async Task Dbclient_logs_in_to_serve(TestKeyType type)
    {
        var dbclient = new DropbearClient
        {
            Port = Serve.Port,
            User = Environment.UserName,
            IdentityFile = await InteropTools.DropbearKeyAsync(TestKeys.Get(type)),
            HostKeyLines = DropbearClientInteropTests.HostKeyLines([_hostKey]),
        };

        ProcessResult result = await dbclient.RunAsync("echo hello from sh; exit 4");

        Assert.True(result.ExitCode == 4, dbclient + "\n" + result);
        Assert.Equal("hello from sh\n", result.StdoutText);
    }

    [Fact]
    public async Task Dbclient_with_an_aes_ctr_cipher_needs_serve_compatible()
    {
        var dbclient = new DropbearClient
        {
            Port = Serve.Port,
            User = Environment.UserName,
            IdentityFile = await InteropTools.DropbearKeyAsync(TestKeys.Ed25519),
            HostKeyLines = DropbearClientInteropTests.HostKeyLines([_hostKey]),
            Cipher = "aes128-ctr",
        };

        ProcessResult hardened = await dbclient.RunAsync("echo hello");

        Assert.NotEqual(0, hardened.ExitCode);
        Assert.Equal(string.Empty, hardened.StdoutText);

        await using SshListener compatible = await ServeServer.StartAsync(new ServeSettings
        {
            Port = 0,
            HostKeys = [_hostKey],
            AuthorizedKeys = AuthorizedKeysFile.Parse(TestKeys.AuthorizedKeysText(TestKeys.Unencrypted)),
            Algorithms = SshAlgorithms.Default,
        }).WithTimeout();
        ProcessResult result = await (dbclient with { Port = compatible.Port }).RunAsync("echo hello");
        await compatible.DisconnectAllAsync().WithTimeout();

        Assert.True(result.ExitCode == 0, dbclient + "\n" + result);
        Assert.Equal("hello\n", result.StdoutText);
    }

    [Theory]
    [InlineData(TestKeyType.Ed25519)]
    [InlineData(TestKeyType.Ecdsa256)]
    [InlineData(TestKeyType.Rsa2048)]
    public async Task Plink_logs_in_to_serve(TestKeyType type)
    {
        var plink = new PlinkClient
        {
            Port = Serve.Port,
            User = Environment.UserName,
            PpkFile = await InteropTools.PuttyKeyAsync(TestKeys.Get(type)),
            HostKeyFingerprints = [_hostKey.PublicKey.GetFingerprint()],
        };

        ProcessResult result = await plink.RunAsync("echo hello from sh; exit 4");

        Assert.True(result.ExitCode == 4, result.ToString());
        Assert.Equal("hello from sh\n", result.StdoutText);
    }
}
