using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;
using Rx.Ssh.Testing;
using Rx.Ssh.Tests.External.Signing;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Client;

/// <summary>
/// Client authentication with <see cref="ISshSigner"/>s written outside the library
/// (<c>Rx.Ssh.Tests.External</c>) that sign asynchronously, against our server in memory.
/// </summary>
public sealed class AsyncSignerTests
{
    private static readonly Lazy<SshPrivateKey> UserKey = new(() => SshPrivateKey.Generate("ssh-ed25519"));
    private static readonly Lazy<SshPrivateKey> RsaKey = new(() => SshPrivateKey.Generate("ssh-rsa", 2048));
    private static readonly Lazy<SshPrivateKey> Ca = new(() => SshPrivateKey.Generate("ssh-ed25519"));

    private static SshServerOptions Server(params SshPrivateKey[] authorized) =>
        InMemoryServer.DefaultServerOptions(async p => await p.Stdout.WriteAsync("signed in\n")) with
        {
            PasswordValidator = null,
            AuthorizedKeys = _ => AuthorizedKeysFile.Parse(string.Concat(authorized.Select(k => k.PublicKey.ToOpenSshString() + "\n"))),
        };

    private static SshClientOptions Client(params ISshSigner[] signers) =>
        InMemoryServer.DefaultClientOptions() with { Password = null, Signers = signers };

    [Fact]
    public async Task A_signer_that_answers_from_another_thread_logs_in()
    {
        var signer = new DeferredSigner(UserKey.Value);

        await using InMemoryServer pair = await InMemoryServer.StartAsync(Server(UserKey.Value), Client(signer));

        Assert.Equal(["ssh-ed25519"], signer.Asked);
        Assert.NotEqual(0, signer.SigningThreadId);
        SshCompletedProcess result = await pair.Client.RunAsync("x").WaitAsync(TestTimeout.Default);
        Assert.Equal("signed in\n", result.Stdout);
    }

    [Theory]
    [InlineData(new[] { "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa" }, "rsa-sha2-512")]
    [InlineData(new[] { "rsa-sha2-256" }, "rsa-sha2-256")]
    public async Task An_rsa_signer_is_asked_for_the_best_algorithm_it_can_make(string[] canMake, string expected)
    {
        var signer = new DeferredSigner(RsaKey.Value) { SignatureAlgorithms = canMake };

        await using InMemoryServer pair = await InMemoryServer.StartAsync(Server(RsaKey.Value), Client(signer));

        Assert.Equal([expected], signer.Asked);
    }

    [Fact]
    public async Task A_signer_that_cannot_make_any_algorithm_of_its_key_is_not_asked()
    {
        var signer = new DeferredSigner(UserKey.Value) { SignatureAlgorithms = ["rsa-sha2-256"] };

        var error = await Assert.ThrowsAsync<SshPermissionDeniedException>(() => InMemoryServer.StartAsync(Server(UserKey.Value), Client(signer)));

        Assert.Empty(signer.Asked);
        Assert.Contains("publickey", error.AllowedMethods);
    }

    [Fact]
    public async Task A_throwing_signer_fails_the_login_with_its_error_inside()
    {
        var boom = new InvalidOperationException("the agent went away");
        var signer = new FailingSigner(UserKey.Value.PublicKey, boom);

        var error = await Assert.ThrowsAsync<SshPermissionDeniedException>(() => InMemoryServer.StartAsync(Server(UserKey.Value), Client(signer)));

        Assert.Same(boom, error.InnerException);
        Assert.Contains("the agent went away", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, signer.Calls);
    }

    [Fact]
    public async Task A_throwing_signer_costs_its_key_and_the_next_one_logs_in()
    {
        var broken = new FailingSigner(RsaKey.Value.PublicKey, new InvalidOperationException("token unplugged"));
        var working = new DeferredSigner(UserKey.Value);

        await using InMemoryServer pair = await InMemoryServer.StartAsync(Server(RsaKey.Value, UserKey.Value), Client(broken, working));

        Assert.Equal(1, broken.Calls);
        Assert.Equal(["ssh-ed25519"], working.Asked);
    }

    [Fact]
    public async Task A_signature_of_another_algorithm_is_refused_as_the_signers_error()
    {
        // Asked for rsa-sha2-512, an old agent answers with an ssh-rsa (SHA-1) signature.
        var signer = new WrongAlgorithmSigner(RsaKey.Value);

        var error = await Assert.ThrowsAsync<SshPermissionDeniedException>(() => InMemoryServer.StartAsync(Server(RsaKey.Value), Client(signer)));

        Assert.Contains("ssh-rsa signature when rsa-sha2-512 was asked", error.InnerException?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_the_connect_cancels_a_pending_signature()
    {
        var signer = new StalledSigner(UserKey.Value.PublicKey);
        await using var server = new InMemorySshServer(Server(UserKey.Value));
        using var cts = new CancellationTokenSource();

        Task<SshClientConnection> connect = server.ConnectAsync(Client(signer), cts.Token);
        await signer.Asked.WaitAsync(TestTimeout.Default);
        Assert.False(connect.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connect.WaitAsync(TestTimeout.Default));
        await signer.Cancelled.WaitAsync(TestTimeout.Default);
    }

    [Fact]
    public async Task A_signer_that_ignores_cancellation_is_abandoned_at_the_login_timeout()
    {
        var clock = new VirtualClock();
        var signer = new StalledSigner(UserKey.Value.PublicKey) { HonoursCancellation = false };
        await using var server = new InMemorySshServer(Server(UserKey.Value));
        SshClientOptions client = Client(signer) with { Scheduler = clock, LoginTimeout = TimeSpan.FromMinutes(2) };

        Task<SshClientConnection> connect = server.ConnectAsync(client);
        await signer.Asked.WaitAsync(TestTimeout.Default);
        clock.AdvanceBy(TimeSpan.FromMinutes(2));

        var error = await Assert.ThrowsAsync<SshConnectionException>(() => connect.WaitAsync(TestTimeout.Default));
        Assert.IsType<TimeoutException>(error.InnerException);
        Assert.Contains("login timed out", error.Message, StringComparison.Ordinal);
        signer.Release();
    }

    [Fact]
    public async Task A_signer_with_a_certificate_from_the_options_logs_in_with_the_certificate()
    {
        SshCertificate certificate = UserCertificate(UserKey.Value);
        var signer = new DeferredSigner(UserKey.Value);
        SshServerOptions server = Server() with { AuthorizedKeys = _ => AuthorizedKeysFile.Parse("cert-authority " + Ca.Value.PublicKey.ToOpenSshString() + "\n") };

        await using InMemoryServer pair = await InMemoryServer.StartAsync(server, Client(signer) with { Certificates = [certificate] });

        Assert.Equal(certificate, pair.Server.Certificate);
        Assert.Equal(["ssh-ed25519"], signer.Asked);
    }

    [Fact]
    public async Task A_signer_presenting_a_certificate_logs_in_with_it()
    {
        SshCertificate certificate = UserCertificate(UserKey.Value);
        var signer = new DeferredSigner(UserKey.Value, certificate);
        SshServerOptions server = Server() with { AuthorizedKeys = _ => AuthorizedKeysFile.Parse("cert-authority " + Ca.Value.PublicKey.ToOpenSshString() + "\n") };

        await using InMemoryServer pair = await InMemoryServer.StartAsync(server, Client(signer));

        Assert.Equal(certificate, pair.Server.Certificate);
    }

    [Fact]
    public async Task A_certificate_signer_may_list_the_certificate_algorithm_names()
    {
        SshCertificate certificate = UserCertificate(UserKey.Value);
        var signer = new DeferredSigner(UserKey.Value, certificate) { SignatureAlgorithms = certificate.SignatureAlgorithms };
        SshServerOptions server = Server() with { AuthorizedKeys = _ => AuthorizedKeysFile.Parse("cert-authority " + Ca.Value.PublicKey.ToOpenSshString() + "\n") };

        await using InMemoryServer pair = await InMemoryServer.StartAsync(server, Client(signer));

        Assert.Equal(certificate, pair.Server.Certificate);
        Assert.Equal(["ssh-ed25519"], signer.Asked);
    }

    [Fact]
    public async Task A_private_key_is_a_signer_that_signs_synchronously()
    {
        ISshSigner signer = UserKey.Value;

        ValueTask<byte[]> pending = signer.SignAsync("ssh-ed25519", new byte[] { 1, 2, 3 });

        Assert.True(pending.IsCompletedSuccessfully);
        byte[] signature = await pending;
        Assert.True(UserKey.Value.PublicKey.VerifySignature([1, 2, 3], signature));
        await using InMemoryServer pair = await InMemoryServer.StartAsync(Server(UserKey.Value), Client(signer));
        Assert.Equal("alice", pair.Server.UserName);
    }

    [Fact]
    public async Task A_private_key_signer_reports_cancellation_and_errors_in_the_task()
    {
        ISshSigner signer = UserKey.Value;
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        ValueTask<byte[]> cancelled = signer.SignAsync("ssh-ed25519", new byte[] { 1 }, cts.Token);
        ValueTask<byte[]> wrong = signer.SignAsync("rsa-sha2-256", new byte[] { 1 });

        Assert.True(cancelled.IsCanceled);
        await Assert.ThrowsAsync<ArgumentException>(async () => await wrong);
    }

    private static SshCertificate UserCertificate(SshPrivateKey key) =>
        new SshCertificateBuilder(key.PublicKey, SshCertificateType.User, "signer@test")
        {
            Principals = ["alice"],
            ValidAfter = DateTimeOffset.UtcNow.AddHours(-1),
            ValidBefore = DateTimeOffset.UtcNow.AddHours(1),
        }.Sign(Ca.Value);

    /// <summary>Answers every request with an <c>ssh-rsa</c> signature, whatever was asked.</summary>
    private sealed class WrongAlgorithmSigner(SshPrivateKey key) : ISshSigner
    {
        public SshPublicKey PublicKey => key.PublicKey;

        public IReadOnlyList<string> SignatureAlgorithms => key.SignatureAlgorithms;

        public ValueTask<byte[]> SignAsync(string signatureAlgorithm, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(key.Sign("ssh-rsa", data.Span));
    }
}
