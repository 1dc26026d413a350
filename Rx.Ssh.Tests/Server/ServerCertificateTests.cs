using System.Net;
using System.Reactive.Concurrency;
using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;
using Rx.Ssh.Messages;
using Rx.Ssh.Server;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Server;

/// <summary>User certificates trusted through <c>cert-authority</c> lines: accepted, enforced, refused with reasons.</summary>
public sealed class ServerCertificateTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Lazy<SshPrivateKey> Ca = new(() => SshPrivateKey.Generate("ssh-ed25519"));
    private static readonly Lazy<SshPrivateKey> RsaCa = new(() => SshPrivateKey.Generate("ssh-rsa", 2048));
    private static readonly Lazy<SshPrivateKey> UserKey = new(() => SshPrivateKey.Generate("ecdsa-sha2-nistp256"));
    private static readonly Lazy<SshPrivateKey> RsaUserKey = new(() => SshPrivateKey.Generate("ssh-rsa", 2048));

    private static string CaLine(SshPrivateKey ca, string options = "cert-authority") => options + " " + ca.PublicKey.ToOpenSshString("ca") + "\n";

    private static SshCertificate Certificate(SshPrivateKey? ca = null, SshPrivateKey? key = null, IReadOnlyList<string>? principals = null, Dictionary<string, string>? critical = null, IReadOnlyDictionary<string, string>? extensions = null) =>
        new SshCertificateBuilder((key ?? UserKey.Value).PublicKey, SshCertificateType.User, "alice@test")
        {
            Principals = principals ?? ["alice"],
            ValidAfter = Now.AddHours(-1),
            ValidBefore = Now.AddHours(1),
            CriticalOptions = critical ?? [],
            Extensions = extensions ?? SshCertificateBuilder.DefaultUserExtensions,
        }.Sign(ca ?? Ca.Value);

    private static SshServerOptions Server(string authorizedKeys, DateTimeOffset? now = null) =>
        InMemoryServer.DefaultServerOptions(async p => await p.Stdout.WriteAsync($"command={p.Command} pty={p.Terminal is not null}\n")) with
        {
            PasswordValidator = null,
            AuthorizedKeys = _ => AuthorizedKeysFile.Parse(authorizedKeys),
            Scheduler = new HistoricalScheduler(now ?? Now),
        };

    private static SshClientOptions Client(SshCertificate certificate, SshPrivateKey? key = null) =>
        InMemoryServer.DefaultClientOptions() with { Password = null, Keys = [key ?? UserKey.Value], Certificates = [certificate] };

    [Fact]
    public async Task Certificate_from_a_trusted_ca_logs_in_and_is_exposed()
    {
        SshCertificate cert = Certificate();

        await using InMemoryServer pair = await InMemoryServer.StartAsync(Server(CaLine(Ca.Value)), Client(cert));

        Assert.Equal(cert, pair.Server.Certificate);
        Assert.True(pair.Server.KeyOptions?.CertificateAuthority);
        Assert.True(pair.Server.KeyOptions?.PermitPty);
        SshCompletedProcess result = await pair.Client.RunAsync("hello").WaitAsync(TestTimeout.Default);
        Assert.Equal("command=hello pty=False\n", result.Stdout);
    }

    [Theory]
    [InlineData("rsa-sha2-512")]
    [InlineData("rsa-sha2-256")]
    public async Task Rsa_certificate_signed_by_an_rsa_ca_logs_in(string serverSignatureAlgorithm)
    {
        SshCertificate cert = Certificate(RsaCa.Value, RsaUserKey.Value);
        SshClientOptions client = Client(cert, RsaUserKey.Value);
        SshServerOptions server = Server(CaLine(RsaCa.Value));
        server = server with { Algorithms = server.Algorithms with { HostKey = ["ssh-ed25519", serverSignatureAlgorithm] } };

        await using InMemoryServer pair = await InMemoryServer.StartAsync(server, client);

        Assert.Equal(cert, pair.Server.Certificate);
    }

    [Fact]
    public async Task Force_command_runs_instead_of_the_requested_command()
    {
        SshCertificate cert = Certificate(critical: new() { ["force-command"] = "/usr/bin/forced" });

        await using InMemoryServer pair = await InMemoryServer.StartAsync(Server(CaLine(Ca.Value)), Client(cert));

        SshCompletedProcess result = await pair.Client.RunAsync("rm -rf /").WaitAsync(TestTimeout.Default);
        Assert.Equal("command=/usr/bin/forced pty=False\n", result.Stdout);
    }

    [Fact]
    public async Task Force_command_replaces_a_subsystem_request_too()
    {
        SshCertificate cert = Certificate(critical: new() { ["force-command"] = "/usr/local/bin/backup" });
        var seen = new TaskCompletionSource<ServerKeyOptionsTests.StartedAs>(TaskCreationOptions.RunContinuationsAsynchronously);
        SshServerOptions server = Server(CaLine(Ca.Value)) with { ProcessHandler = p => ServerKeyOptionsTests.Record(p, seen) };

        await using InMemoryServer pair = await InMemoryServer.StartAsync(server, Client(cert));

        ServerKeyOptionsTests.StartedAs started = await ServerKeyOptionsTests.RequestSubsystemAsync(pair.Client, "sftp", seen);
        Assert.Equal(new ServerKeyOptionsTests.StartedAs("exec", "/usr/local/bin/backup", null, "sftp"), started);
    }

    [Fact]
    public async Task Without_permit_pty_a_terminal_is_refused()
    {
        SshCertificate cert = Certificate(extensions: new Dictionary<string, string>());

        await using InMemoryServer pair = await InMemoryServer.StartAsync(Server(CaLine(Ca.Value)), Client(cert));

        Assert.False(pair.Server.KeyOptions?.PermitPty);
        Assert.False(pair.Server.KeyOptions?.PermitPortForwarding);
        await Assert.ThrowsAsync<SshChannelRequestException>(
            () => pair.Client.RunAsync("x", new SshProcessOptions { Terminal = new SshTerminal("xterm", 80, 24) }).WaitAsync(TestTimeout.Default));
    }

    [Fact]
    public async Task Principals_option_on_the_ca_line_replaces_the_user_name()
    {
        SshCertificate cert = Certificate(principals: ["ops"]);

        await using InMemoryServer pair = await InMemoryServer.StartAsync(Server(CaLine(Ca.Value, "cert-authority,principals=\"ops,admin\"")), Client(cert));

        Assert.Equal("alice", pair.Server.UserName);
    }

    public static TheoryData<string> RefusedCases => ["untrusted", "principal", "expired", "not-yet-valid", "source", "verify-required", "host-cert", "plain-key-line"];

    [Theory]
    [MemberData(nameof(RefusedCases))]
    public async Task Refused_certificate_denies_login(string problem)
    {
        (string keys, SshCertificate cert, DateTimeOffset now) = Refused(problem);

        await Assert.ThrowsAsync<SshPermissionDeniedException>(() => InMemoryServer.StartAsync(Server(keys, now), Client(cert)));
    }

    [Theory]
    [InlineData("untrusted", SshCertificateProblem.UntrustedAuthority, "cert-authority")]
    [InlineData("principal", SshCertificateProblem.WrongPrincipal, "ssh-keygen -n alice")]
    [InlineData("expired", SshCertificateProblem.Expired, "expired")]
    [InlineData("not-yet-valid", SshCertificateProblem.NotYetValid, "not valid until")]
    [InlineData("source", SshCertificateProblem.SourceAddress, "10.0.0.0/8")]
    [InlineData("verify-required", SshCertificateProblem.UnsupportedOption, "verify-required")]
    [InlineData("host-cert", SshCertificateProblem.WrongType, "host certificate")]
    [InlineData("plain-key-line", SshCertificateProblem.UntrustedAuthority, "cert-authority")]
    public void Refusal_says_why(string problem, SshCertificateProblem expected, string hint)
    {
        (string keys, SshCertificate cert, DateTimeOffset now) = Refused(problem);
        var context = new SshAuthContext("alice", new IPEndPoint(IPAddress.Loopback, 2222), "SSH-2.0-test");

        var error = Assert.Throws<SshCertificateException>(() => UserCertificateCheck.Authorize(AuthorizedKeysFile.Parse(keys), context, cert, now));

        Assert.Equal(expected, error.Problem);
        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Certificate_query_gets_pk_ok_and_a_truncated_certificate_a_failure()
    {
        SshCertificate cert = Certificate();
        const string algorithm = "ecdsa-sha2-nistp256-cert-v01@openssh.com";
        (RawSshClient client, Task<SshServerConnection> _) = await RawSshClient.StartInMemoryAsync(Server(CaLine(Ca.Value)));
        await using (client)
        {
            await client.RequestUserAuthAsync();
            await client.SendAuthRequestAsync("alice", "publickey", w =>
            {
                w.WriteBoolean(false);
                w.WriteString(algorithm);
                w.WriteString(cert.Blob.Span);
            });
            Assert.Equal(MessageNumber.UserAuthPkOk, (await client.ReceiveSkippingBannersAsync())[0]);

            await client.SendAuthRequestAsync("alice", "publickey", w =>
            {
                w.WriteBoolean(false);
                w.WriteString(algorithm);
                w.WriteString(cert.Blob.Span[..(cert.Blob.Length / 2)]);
            });
            ServerAuthenticationTests.AssertFailure(await client.ReceiveAsync());
        }
    }

    [Fact]
    public async Task Revoked_ca_or_key_is_refused()
    {
        SshCertificate cert = Certificate();
        var context = new SshAuthContext("alice", null, "SSH-2.0-test");

        var byCa = Assert.Throws<SshCertificateException>(() => UserCertificateCheck.Authorize(AuthorizedKeysFile.Parse(CaLine(Ca.Value)), context, cert, Now, [Ca.Value.PublicKey]));
        var byKey = Assert.Throws<SshCertificateException>(() => UserCertificateCheck.Authorize(AuthorizedKeysFile.Parse(CaLine(Ca.Value)), context, cert, Now, [UserKey.Value.PublicKey]));

        Assert.Equal(SshCertificateProblem.Revoked, byCa.Problem);
        Assert.Contains("its CA", byCa.Message, StringComparison.Ordinal);
        Assert.Equal(SshCertificateProblem.Revoked, byKey.Problem);
        SshServerOptions server = Server(CaLine(Ca.Value) + UserKey.Value.PublicKey.ToOpenSshString() + "\n") with { RevokedKeys = [UserKey.Value.PublicKey] };
        await Assert.ThrowsAsync<SshPermissionDeniedException>(() => InMemoryServer.StartAsync(server, Client(cert)));
        await Assert.ThrowsAsync<SshPermissionDeniedException>(
            () => InMemoryServer.StartAsync(server, InMemoryServer.DefaultClientOptions() with { Password = null, Keys = [UserKey.Value] }));
    }

    private static (string Keys, SshCertificate Cert, DateTimeOffset Now) Refused(string problem) => problem switch
    {
        "untrusted" => (CaLine(RsaCa.Value), Certificate(), Now),
        "principal" => (CaLine(Ca.Value), Certificate(principals: ["bob"]), Now),
        "expired" => (CaLine(Ca.Value), Certificate(), Now.AddHours(2)),
        "not-yet-valid" => (CaLine(Ca.Value), Certificate(), Now.AddHours(-2)),
        "source" => (CaLine(Ca.Value), Certificate(critical: new() { ["source-address"] = "10.0.0.0/8" }), Now),
        "verify-required" => (CaLine(Ca.Value), Certificate(critical: new() { ["verify-required"] = string.Empty }), Now),
        "host-cert" => (CaLine(Ca.Value), new SshCertificateBuilder(UserKey.Value.PublicKey, SshCertificateType.Host, "h") { Principals = ["alice"] }.Sign(Ca.Value), Now),
        // The CA key listed as a plain key (no cert-authority) does not trust its certificates.
        _ => (Ca.Value.PublicKey.ToOpenSshString() + "\n", Certificate(), Now),
    };
}
