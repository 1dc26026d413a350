using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Keys;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// User certificates across implementations: OpenSSH's ssh with an <c>ssh-keygen -s</c> certificate
/// against the Rx.Ssh server, and the Rx.Ssh client with a certificate we signed against sshd
/// with <c>TrustedUserCAKeys</c>.
/// </summary>
public sealed class CertificateInteropTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("ed25519", "ed25519")]
    [InlineData("ecdsa", "rsa")]
    [InlineData("rsa", "ecdsa")]
    public async Task OpenSsh_client_logs_in_with_an_ssh_keygen_certificate(string keyType, string caType)
    {
        string ca = Generate("ca", caType);
        string key = Generate("id", keyType);
        OpenSshTool.SshKeygen("-q", "-s", ca, "-I", "interop-id", "-n", RxSshServerUnderTest.UserName, "-V", "-5m:+1h", key + ".pub");
        await using RxSshServerUnderTest server = await StartServerAsync(File.ReadAllText(ca + ".pub"));

        ProcessResult result = await (server.Client() with { IdentityFile = key, PreferredAuthentications = ["publickey"] })
            .WithOptions("IdentitiesOnly=yes", "LogLevel=DEBUG1").RunAsync("whoami");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("cert=interop-id user=tester\n", result.StdoutText);
        Assert.Contains("-CERT SHA256:", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSsh_client_with_a_certificate_for_another_principal_is_denied()
    {
        string ca = Generate("ca", "ed25519");
        string key = Generate("id", "ed25519");
        OpenSshTool.SshKeygen("-q", "-s", ca, "-I", "wrong", "-n", "somebody-else", key + ".pub");
        await using RxSshServerUnderTest server = await StartServerAsync(File.ReadAllText(ca + ".pub"));

        ProcessResult result = await (server.Client() with { IdentityFile = key, PreferredAuthentications = ["publickey"] })
            .WithOptions("IdentitiesOnly=yes").RunAsync("whoami");

        Assert.True(result.ExitCode == 255, result.ToString());
        Assert.Contains("Permission denied", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ssh-ed25519", "ssh-ed25519")]
    [InlineData("ecdsa-sha2-nistp384", "ssh-rsa")]
    [InlineData("ssh-rsa", "ecdsa-sha2-nistp256")]
    public async Task Rx_client_logs_in_to_sshd_with_our_certificate_next_to_the_key(string keyType, string caType)
    {
        using SshPrivateKey ca = SshPrivateKey.Generate(caType, caType == "ssh-rsa" ? 2048 : 0);
        using SshPrivateKey key = SshPrivateKey.Generate(keyType, keyType == "ssh-rsa" ? 2048 : 0);
        string caPath = _dir.File("user_ca.pub");
        File.WriteAllText(caPath, ca.PublicKey.ToOpenSshString() + "\n");
        string keyPath = _dir.File("id");
        key.Save(keyPath);
        SshCertificate cert = new SshCertificateBuilder(key.PublicKey, SshCertificateType.User, "rx-interop")
        {
            Principals = [SshdServer.UserName],
            ValidAfter = DateTimeOffset.UtcNow.AddMinutes(-5),
            ValidBefore = DateTimeOffset.UtcNow.AddHours(1),
        }.Sign(ca);
        File.WriteAllText(keyPath + "-cert.pub", cert.ToOpenSshString() + "\n");
        await using SshdServer sshd = await SshdServer.StartAsync(new SshdOptions { AuthorizedKeys = [], ExtraLines = [$"TrustedUserCAKeys {caPath}"] });

        await using SshClientConnection connection = await ClientInterop.ConnectAsync(sshd, ClientInterop.Options(sshd) with { KeyFiles = [keyPath] });

        SshCompletedProcess result = await connection.RunAsync("echo certified").WaitAsync(TestTimeout.Long);
        Assert.Equal("certified\n", result.Stdout);
        Assert.Contains("rx-interop", sshd.Log.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rx_client_without_the_certificate_is_refused_by_sshd()
    {
        using SshPrivateKey ca = SshPrivateKey.Generate("ssh-ed25519");
        using SshPrivateKey key = SshPrivateKey.Generate("ssh-ed25519");
        string caPath = _dir.File("user_ca.pub");
        File.WriteAllText(caPath, ca.PublicKey.ToOpenSshString() + "\n");
        await using SshdServer sshd = await SshdServer.StartAsync(new SshdOptions { AuthorizedKeys = [], ExtraLines = [$"TrustedUserCAKeys {caPath}"] });

        await Assert.ThrowsAsync<SshPermissionDeniedException>(
            () => ClientInterop.ConnectAsync(sshd, ClientInterop.Options(sshd) with { KeyFiles = [], Keys = [key] }));
    }

    private static Task<RxSshServerUnderTest> StartServerAsync(string caLine) =>
        RxSshServerUnderTest.StartAsync(new SshServerOptions
        {
            AuthorizedKeys = _ => AuthorizedKeysFile.Parse("cert-authority " + caLine),
            AuthFailureDelay = TimeSpan.Zero,
            ProcessHandler = async p => await p.Stdout.WriteAsync($"cert={p.Connection.Certificate?.KeyId} user={p.UserName}\n"),
        });

    private string Generate(string name, string type)
    {
        string path = _dir.File(name);
        OpenSshTool.Run("ssh-keygen", ["-q", "-N", string.Empty, "-t", type, "-f", path, .. type == "rsa" ? new[] { "-b", "2048" } : []]);
        return path;
    }
}

/// <summary>
/// Host certificates across implementations: the Rx.Ssh client trusting sshd's <c>HostCertificate</c>
/// through an <c>@cert-authority</c> line, and OpenSSH's ssh trusting the Rx.Ssh server's.
/// </summary>
public sealed class HostCertificateInteropTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(TestKeyType.Ed25519)]
    [InlineData(TestKeyType.Rsa2048)]
    public async Task Rx_client_trusts_sshd_host_certificate_from_a_known_ca(TestKeyType hostKeyType)
    {
        using SshPrivateKey ca = SshPrivateKey.Generate("ecdsa-sha2-nistp256");
        string caPath = _dir.File("host_ca");
        ca.Save(caPath);
        TestKey hostKey = HostKeys.Get(hostKeyType);
        string hostPub = _dir.File("host.pub");
        File.Copy(hostKey.PublicKeyPath, hostPub);
        OpenSshTool.SshKeygen("-q", "-s", caPath, "-h", "-I", "sshd-host", "-n", SshdServer.Host, hostPub);
        string knownHosts = _dir.File("known_hosts");
        File.WriteAllText(knownHosts, "@cert-authority * " + ca.PublicKey.ToOpenSshString() + "\n");
        await using SshdServer sshd = await SshdServer.StartAsync(new SshdOptions
        {
            HostKeyTypes = [hostKeyType],
            ExtraLines = [$"HostCertificate {_dir.File("host-cert.pub")}"],
        });
        SshClientOptions options = ClientInterop.Options(sshd) with { HostKeyVerifier = new KnownHostsVerifier(knownHosts) };

        await using SshClientConnection connection = await ClientInterop.ConnectAsync(sshd, options);

        SshCompletedProcess result = await connection.RunAsync("echo host-certified").WaitAsync(TestTimeout.Long);
        Assert.Equal("host-certified\n", result.Stdout);
    }

    [Fact]
    public async Task Rx_client_refuses_sshd_host_certificate_for_another_name()
    {
        using SshPrivateKey ca = SshPrivateKey.Generate("ssh-ed25519");
        string caPath = _dir.File("host_ca");
        ca.Save(caPath);
        string hostPub = _dir.File("host.pub");
        File.Copy(HostKeys.Get(TestKeyType.Ed25519).PublicKeyPath, hostPub);
        OpenSshTool.SshKeygen("-q", "-s", caPath, "-h", "-I", "sshd-host", "-n", "other.example", hostPub);
        string knownHosts = _dir.File("known_hosts");
        File.WriteAllText(knownHosts, "@cert-authority * " + ca.PublicKey.ToOpenSshString() + "\n");
        await using SshdServer sshd = await SshdServer.StartAsync(new SshdOptions
        {
            HostKeyTypes = [TestKeyType.Ed25519],
            ExtraLines = [$"HostCertificate {_dir.File("host-cert.pub")}"],
        });

        var error = await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(
            () => ClientInterop.ConnectAsync(sshd, ClientInterop.Options(sshd) with { HostKeyVerifier = new KnownHostsVerifier(knownHosts) }));

        Assert.Equal(HostKeyTrustFailure.InvalidCertificate, error.Failure);
        Assert.Contains("other.example", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenSsh_client_trusts_our_host_certificate_from_a_known_ca()
    {
        using SshPrivateKey ca = SshPrivateKey.Generate("ssh-ed25519");
        using SshPrivateKey hostKey = SshPrivateKey.Generate("ssh-ed25519");
        SshCertificate cert = new SshCertificateBuilder(hostKey.PublicKey, SshCertificateType.Host, "rx-host") { Principals = ["127.0.0.1"] }.Sign(ca);
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(new SshServerOptions
        {
            HostKeys = [hostKey],
            HostCertificates = [cert],
            ProcessHandler = async p => await p.Stdout.WriteAsync("ok\n"),
        });
        string knownHosts = _dir.File("known_hosts");
        File.WriteAllText(knownHosts, "@cert-authority * " + ca.PublicKey.ToOpenSshString() + "\n");

        ProcessResult result = await (server.Client() with { KnownHostsFile = knownHosts }).WithOptions("LogLevel=DEBUG1").RunAsync("x");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("ok\n", result.StdoutText);
        Assert.Contains("ED25519-CERT", result.Stderr, StringComparison.Ordinal);
    }
}
