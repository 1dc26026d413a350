using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;
using Rx.Ssh.Tests.External.Trust;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Trust;

/// <summary>
/// A verifier written outside the library asks for host certificates through
/// <see cref="IHostKeyVerifier.WantsHostCertificates"/> and receives our server's.
/// </summary>
public sealed class CustomHostCertificateVerifierTests
{
    private static readonly Lazy<SshPrivateKey> Ca = new(() => SshPrivateKey.Generate("ssh-ed25519"));

    private static SshCertificate HostCertificate() =>
        new SshCertificateBuilder(InMemoryServer.HostKey.PublicKey, SshCertificateType.Host, "in-memory-host")
        {
            Principals = ["in-memory"],
            ValidBefore = SshCertificate.Forever,
        }.Sign(Ca.Value);

    [Fact]
    public async Task A_custom_verifier_that_wants_certificates_receives_the_servers()
    {
        SshCertificate certificate = HostCertificate();
        var verifier = new CertificateAuthorityVerifier(Ca.Value.PublicKey);
        SshServerOptions server = InMemoryServer.DefaultServerOptions() with { HostCertificates = [certificate] };

        await using InMemoryServer pair = await InMemoryServer.StartAsync(server, InMemoryServer.DefaultClientOptions() with { HostKeyVerifier = verifier });

        Assert.Equal(["in-memory"], verifier.AskedFor);
        Assert.Equal(certificate, verifier.Seen);
        Assert.Equal("alice", pair.Server.UserName);
    }

    [Fact]
    public async Task A_custom_verifier_that_wants_certificates_refuses_a_server_without_one()
    {
        var verifier = new CertificateAuthorityVerifier(Ca.Value.PublicKey);

        var error = await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(
            () => InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions(), InMemoryServer.DefaultClientOptions() with { HostKeyVerifier = verifier }));

        Assert.Equal(HostKeyTrustFailure.Unknown, error.Failure);
        Assert.Null(verifier.Seen);
    }

    [Fact]
    public void The_default_contract_asks_for_plain_keys_in_the_preferences_order()
    {
        IHostKeyVerifier verifier = new CallbackHostKeyVerifier(_ => ValueTask.FromResult(true));

        Assert.False(verifier.WantsHostCertificates("host", 22, null));
        Assert.Empty(verifier.KnownKeyTypes("host", 22, null));
    }
}
