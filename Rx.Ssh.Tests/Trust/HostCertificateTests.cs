using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Trust;

/// <summary>Host certificates: the server offers them, the client trusts them through <c>@cert-authority</c> lines.</summary>
public sealed class HostCertificateTests : IDisposable
{
    private const string Host = "in-memory";
    private static readonly Lazy<SshPrivateKey> Ca = new(() => SshPrivateKey.Generate("ssh-ed25519"));
    private static readonly Lazy<SshPrivateKey> OtherCa = new(() => SshPrivateKey.Generate("ecdsa-sha2-nistp256"));
    private readonly string _knownHosts = Path.Combine(Path.GetTempPath(), "rxssh-kh-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(_knownHosts);

    private static SshCertificate HostCertificate(SshPrivateKey? ca = null, string principal = Host, DateTimeOffset? validBefore = null, SshCertificateType type = SshCertificateType.Host, IReadOnlyDictionary<string, string>? criticalOptions = null) =>
        new SshCertificateBuilder(InMemoryServer.HostKey.PublicKey, type, "in-memory-host")
        {
            Principals = [principal],
            ValidBefore = validBefore ?? SshCertificate.Forever,
            CriticalOptions = criticalOptions ?? new Dictionary<string, string>(),
        }.Sign(ca ?? Ca.Value);

    private Task<InMemoryServer> ConnectAsync(SshCertificate certificate, string knownHosts, TimeProvider? time = null)
    {
        File.WriteAllText(_knownHosts, knownHosts);
        SshServerOptions server = InMemoryServer.DefaultServerOptions() with { HostCertificates = [certificate] };
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with
        {
            HostKeyVerifier = new KnownHostsVerifier(_knownHosts) { TimeProvider = time ?? TimeProvider.System },
        };
        return InMemoryServer.StartAsync(server, client);
    }

    private static string CaLine(SshPrivateKey ca, string hosts = Host) => $"@cert-authority {hosts} {ca.PublicKey.ToOpenSshString()}\n";

    [Fact]
    public async Task Certificate_from_a_trusted_ca_is_accepted()
    {
        SshCertificate cert = HostCertificate();
        HostKeyContext? seen = null;
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with
        {
            HostKeyVerifier = new CallbackHostKeyVerifier(context =>
            {
                seen = context;
                return ValueTask.FromResult(true);
            }),
        };

        await using (InMemoryServer pair = await InMemoryServer.StartAsync(InMemoryServer.DefaultServerOptions() with { HostCertificates = [cert] }, client))
        {
            Assert.Equal("alice", pair.Server.UserName);
        }

        // A callback verifier does not make the client ask for certificates: it saw the plain key.
        Assert.Null(seen?.Certificate);

        Assert.Equal(InMemoryServer.HostKey.PublicKey, seen?.Key);

        // known_hosts with a matching @cert-authority line: the client asks for the certificate and trusts it.
        await using InMemoryServer certified = await ConnectAsync(cert, CaLine(Ca.Value, "in-*"));
        Assert.Equal("alice", certified.Server.UserName);
    }

    [Fact]
    public async Task Certificate_for_another_host_name_is_refused()
    {
        var error = await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(() => ConnectAsync(HostCertificate(principal: "elsewhere.example"), CaLine(Ca.Value)));

        Assert.Equal(HostKeyTrustFailure.InvalidCertificate, error.Failure);
        Assert.Equal(SshCertificateProblem.WrongPrincipal, Assert.IsType<SshCertificateException>(error.InnerException).Problem);
        Assert.Contains("'in-memory'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_certificate_is_refused_on_the_verifiers_clock()
    {
        var expiry = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var error = await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(
            () => ConnectAsync(HostCertificate(validBefore: expiry), CaLine(Ca.Value), new FixedTime(expiry.AddSeconds(1))));

        Assert.Equal(SshCertificateProblem.Expired, Assert.IsType<SshCertificateException>(error.InnerException).Problem);
        Assert.Contains("expired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_certificate_as_host_certificate_is_refused()
    {
        var error = await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(() => ConnectAsync(HostCertificate(type: SshCertificateType.User), CaLine(Ca.Value)));

        Assert.Equal(SshCertificateProblem.WrongType, Assert.IsType<SshCertificateException>(error.InnerException).Problem);
    }

    [Theory]
    [InlineData("force-command", "/bin/true")]
    [InlineData("source-address", "127.0.0.1")]
    [InlineData("no-such-option@example.com", "")]
    public async Task Host_certificate_with_a_critical_option_is_refused(string option, string value)
    {
        SshCertificate cert = HostCertificate(criticalOptions: new Dictionary<string, string> { [option] = value });

        var error = await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(() => ConnectAsync(cert, CaLine(Ca.Value)));

        Assert.Equal(HostKeyTrustFailure.InvalidCertificate, error.Failure);
        Assert.Equal(SshCertificateProblem.UnsupportedOption, Assert.IsType<SshCertificateException>(error.InnerException).Problem);
        Assert.Contains(option, error.InnerException!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoked_ca_is_refused()
    {
        string lines = CaLine(Ca.Value) + $"@revoked * {Ca.Value.PublicKey.ToOpenSshString()}\n";

        var error = await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(() => ConnectAsync(HostCertificate(), lines));

        Assert.Equal(SshCertificateProblem.Revoked, Assert.IsType<SshCertificateException>(error.InnerException).Problem);
        Assert.Contains("@revoked", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoked_host_key_is_refused_even_with_a_valid_certificate()
    {
        string lines = CaLine(Ca.Value) + $"@revoked {Host} {InMemoryServer.HostKey.PublicKey.ToOpenSshString()}\n";

        var error = await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(() => ConnectAsync(HostCertificate(), lines));

        Assert.Equal(SshCertificateProblem.Revoked, Assert.IsType<SshCertificateException>(error.InnerException).Problem);
    }

    [Fact]
    public async Task Untrusted_ca_falls_back_to_the_plain_key()
    {
        // The client asks for certificates (a CA line exists), the server's is from another CA:
        // like ssh, the plain key decides.
        SshCertificate cert = HostCertificate(OtherCa.Value);

        var unknown = await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(() => ConnectAsync(cert, CaLine(Ca.Value)));
        Assert.Equal(HostKeyTrustFailure.Unknown, unknown.Failure);

        string withPlainKey = CaLine(Ca.Value) + $"{Host} {InMemoryServer.HostKey.PublicKey.ToOpenSshString()}\n";
        await using InMemoryServer pair = await ConnectAsync(cert, withPlainKey);
        Assert.Equal("alice", pair.Server.UserName);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
