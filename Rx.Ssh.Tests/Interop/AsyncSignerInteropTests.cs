using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;
using Rx.Ssh.Tests.External.Signing;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Keys;

namespace Rx.Ssh.Tests.Interop;

/// <summary>The client logs in to OpenSSH's sshd with asynchronous signers from outside the library.</summary>
[Collection(SshdCollection.Name)]
public sealed class AsyncSignerInteropTests
{
    private readonly SshdServer _server;

    public AsyncSignerInteropTests(SshdFixture fixture) => _server = fixture.Server;

    [Theory]
    [InlineData(TestKeyType.Ed25519, "ssh-ed25519")]
    [InlineData(TestKeyType.Ecdsa256, "ecdsa-sha2-nistp256")]
    [InlineData(TestKeyType.Rsa2048, "rsa-sha2-512")]
    public async Task Client_logs_in_to_sshd_with_a_deferred_signer(TestKeyType type, string algorithm)
    {
        using SshPrivateKey key = SshPrivateKey.Load(TestKeys.Get(type).PrivateKeyPath);
        var signer = new DeferredSigner(key);
        SshClientOptions options = ClientInterop.Options(_server) with { KeyFiles = [], Signers = [signer] };

        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server, options);
        SshCompletedProcess result = await conn.RunAsync("echo signed").WaitAsync(TestTimeout.Long);

        Assert.Equal("signed\n", result.Stdout);
        Assert.Equal([algorithm], signer.Asked);
    }

    [Fact]
    public async Task An_rsa_signer_limited_to_sha256_logs_in_to_sshd()
    {
        using SshPrivateKey key = SshPrivateKey.Load(TestKeys.Rsa2048.PrivateKeyPath);
        var signer = new DeferredSigner(key) { SignatureAlgorithms = ["rsa-sha2-256"] };
        SshClientOptions options = ClientInterop.Options(_server) with { KeyFiles = [], Signers = [signer] };

        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server, options);

        Assert.Equal(["rsa-sha2-256"], signer.Asked);
    }

    [Fact]
    public async Task A_throwing_signer_ends_in_permission_denied_from_sshd()
    {
        var signer = new FailingSigner(SshPublicKey.Parse(TestKeys.Ed25519.PublicKeyLine), new InvalidOperationException("agent refused"));
        SshClientOptions options = ClientInterop.Options(_server) with { KeyFiles = [], Signers = [signer] };

        var error = await Assert.ThrowsAsync<SshPermissionDeniedException>(() => ClientInterop.ConnectAsync(_server, options));

        Assert.Equal("agent refused", error.InnerException?.Message);
    }
}

/// <summary>A signer presenting a user certificate to an sshd that trusts the certificate's CA.</summary>
public sealed class AsyncSignerCertificateInteropTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_signer_with_a_certificate_logs_in_to_sshd_trusting_the_ca()
    {
        using SshPrivateKey ca = SshPrivateKey.Generate("ssh-ed25519");
        using SshPrivateKey key = SshPrivateKey.Generate("ecdsa-sha2-nistp256");
        string caPath = _dir.File("user_ca.pub");
        File.WriteAllText(caPath, ca.PublicKey.ToOpenSshString() + "\n");
        SshCertificate cert = new SshCertificateBuilder(key.PublicKey, SshCertificateType.User, "rx-signer")
        {
            Principals = [SshdServer.UserName],
            ValidAfter = DateTimeOffset.UtcNow.AddMinutes(-5),
            ValidBefore = DateTimeOffset.UtcNow.AddHours(1),
        }.Sign(ca);
        await using SshdServer sshd = await SshdServer.StartAsync(new SshdOptions { AuthorizedKeys = [], ExtraLines = [$"TrustedUserCAKeys {caPath}"] });
        var signer = new DeferredSigner(key, cert);

        await using SshClientConnection connection = await ClientInterop.ConnectAsync(sshd, ClientInterop.Options(sshd) with { KeyFiles = [], Signers = [signer] });

        Assert.Equal(["ecdsa-sha2-nistp256"], signer.Asked);
        Assert.Contains("rx-signer", sshd.Log.Text, StringComparison.Ordinal);
    }
}
