using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;
using Rx.Ssh.Samples;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Keys;

namespace Rx.Ssh.Tests.Samples;

/// <summary>simple_cert_server: certificates from the CA in <c>ssh_user_ca</c> log in when their principals name the user.</summary>
public sealed class CertServerSampleTests
{
    private static readonly Lazy<SshPrivateKey> Ca = new(() => SshPrivateKey.Generate("ssh-ed25519"));

    private static Task<SampleServer> StartAsync() => SampleServer.StartAsync("simple_cert_server", directory =>
        File.WriteAllText(Path.Combine(directory, "ssh_user_ca"), "cert-authority " + Ca.Value.PublicKey.ToOpenSshString("user-ca") + "\n"));

    private static SshCertificate Certificate(params string[] principals) =>
        new SshCertificateBuilder(SampleServer.UserKey.PublicKey, SshCertificateType.User, "sample") { Principals = principals }.Sign(Ca.Value);

    [Fact]
    public void IsListed() => Assert.NotNull(SampleCatalog.Find("simple_cert_server"));

    [Fact]
    public async Task Certificate_naming_the_user_logs_in_and_others_are_refused()
    {
        await using SampleServer server = await StartAsync();

        await using (SshClientConnection alice = await server.ConnectAsync(SampleServer.ClientOptions("alice") with { Certificates = [Certificate("alice", "ops")] }))
        {
            Assert.Equal("Welcome to my SSH server, alice!\n", (await alice.RunAsync("").WithTimeout()).Stdout);
        }

        // The certificate does not name bob; the plain key (no cert-authority for it) is not enough either.
        await Assert.ThrowsAsync<SshPermissionDeniedException>(() => server.ConnectAsync(SampleServer.ClientOptions("bob") with { Certificates = [Certificate("alice")] }));
        await Assert.ThrowsAsync<SshPermissionDeniedException>(() => server.ConnectAsync(SampleServer.ClientOptions("alice")));
    }

    [Fact]
    public async Task OpenSsh_logs_in_with_an_ssh_keygen_certificate()
    {
        await using SampleServer server = await StartAsync();
        OpenSshClient ssh = server.Ssh("alice");
        string caPath = Path.Combine(server.Directory, "user_ca");
        Ca.Value.Save(caPath);
        File.WriteAllText(ssh.IdentityFile + ".pub", SampleServer.UserKey.PublicKey.ToOpenSshString() + "\n");
        OpenSshTool.SshKeygen("-q", "-s", caPath, "-I", "alice-laptop", "-n", "alice", "-V", "-5m:+5m", ssh.IdentityFile + ".pub");

        ProcessResult result = await (ssh with { PreferredAuthentications = ["publickey"] }).WithOptions("IdentitiesOnly=yes").RunAsync("");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Welcome to my SSH server, alice!\n", result.StdoutText);
    }
}
