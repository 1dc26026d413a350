using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Interop;

namespace Rx.Ssh.Tests.Agent;

/// <summary>
/// The client logs in to OpenSSH's sshd with keys held by OpenSSH's ssh-agent (ed25519, RSA,
/// ECDSA added in that order), offered in ssh's order: agent keys matching a key file first, so a
/// server with <c>MaxAuthTries 2</c> accepts the configured key even when it is the agent's third.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AgentLoginInteropTests : IAsyncLifetime
{
    private OpenSshAgent _agent = null!;

    public async Task InitializeAsync()
    {
        _agent = await OpenSshAgent.StartAsync();
        foreach (TestKey key in new[] { TestKeys.Ed25519, TestKeys.Rsa2048, TestKeys.Ecdsa256 })
        {
            await _agent.SshAddAsync(key.PrivateKeyPath);
        }
    }

    public Task DisposeAsync() => _agent.DisposeAsync().AsTask();

    [Theory]
    [InlineData(TestKeyType.Ed25519)]
    [InlineData(TestKeyType.Ecdsa256)]
    [InlineData(TestKeyType.Rsa2048)]
    public async Task Logs_in_with_only_the_agent(TestKeyType type)
    {
        await using SshdServer sshd = await SshdServer.StartAsync(new SshdOptions { AuthorizedKeys = [TestKeys.Get(type)] });

        await using SshClientConnection connection = await ClientInterop.ConnectAsync(sshd, AgentOnly(sshd));

        Assert.Equal("agent\n", (await connection.RunAsync("echo agent").WaitAsync(TestTimeout.Long)).Stdout);
    }

    [Fact]
    public async Task An_rsa_agent_key_signs_with_rsa_sha2_512_for_an_sshd_accepting_only_that()
    {
        // (sshd 9.2 advertises every algorithm in server-sig-algs whatever it accepts, so only the first
        // choice, rsa-sha2-512, can be forced this way; rsa-sha2-256 is checked against ssh-agent itself.)
        const string algorithm = "rsa-sha2-512";
        await using SshdServer sshd = await SshdServer.StartAsync(new SshdOptions
        {
            AuthorizedKeys = [TestKeys.Rsa2048],
            PubkeyAcceptedAlgorithms = [algorithm],
            LogLevel = "DEBUG1",
        });

        await using SshClientConnection connection = await ClientInterop.ConnectAsync(sshd, AgentOnly(sshd));

        Assert.True(sshd.Log.Contains("Accepted publickey"), sshd.Log.Text);
        Assert.True(sshd.Log.Contains(algorithm), sshd.Log.Text);
    }

    [Fact]
    public async Task With_MaxAuthTries_2_the_configured_key_is_offered_first_though_it_is_the_agents_third()
    {
        await using SshdServer sshd = await SshdServer.StartAsync(new SshdOptions
        {
            AuthorizedKeys = [TestKeys.Ecdsa256],
            ExtraLines = ["MaxAuthTries 2"],
        });

        // Without a configured key every agent key is offered in the agent's order: ed25519 and RSA use up the two tries.
        await Assert.ThrowsAnyAsync<SshException>(() => ClientInterop.ConnectAsync(sshd, AgentOnly(sshd)));

        // The configured key (its .pub matches the agent's third key) goes first; the agent signs for it.
        SshClientOptions options = AgentOnly(sshd) with { KeyFiles = [TestKeys.Ecdsa256.PrivateKeyPath] };
        await using SshClientConnection connection = await ClientInterop.ConnectAsync(sshd, options);
        Assert.Equal("ok\n", (await connection.RunAsync("echo ok").WaitAsync(TestTimeout.Long)).Stdout);
    }

    [Fact]
    public async Task IdentitiesOnly_offers_only_the_agent_keys_matching_the_key_files()
    {
        await using SshdServer sshd = await SshdServer.StartAsync(new SshdOptions { AuthorizedKeys = [TestKeys.Ed25519] });
        SshClientOptions options = AgentOnly(sshd) with { KeyFiles = [TestKeys.Ecdsa256.PrivateKeyPath] };

        // Not only: the agent's ed25519 key is offered after the configured one and is accepted.
        await using (await ClientInterop.ConnectAsync(sshd, options))
        {
        }

        var denied = await Assert.ThrowsAsync<SshPermissionDeniedException>(() => ClientInterop.ConnectAsync(sshd, options with { IdentitiesOnly = true }));
        Assert.Contains("publickey", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_encrypted_key_file_the_agent_holds_is_not_read_the_agent_signs_for_it()
    {
        await using SshdServer sshd = await SshdServer.StartAsync(new SshdOptions { AuthorizedKeys = [TestKeys.Ed25519WithPassphrase] });
        string copy = _agent.CopyKey(TestKeys.Ed25519WithPassphrase, "id_locked");
        ProcessResult added = await ProcessRunner.RunAsync(
            ProcessRunner.CreateStartInfo("sh", ["-c", $"ssh-keygen -q -p -P '{TestKeys.Passphrase}' -N '' -f {copy} && ssh-add {copy}"], [new("SSH_AUTH_SOCK", _agent.SocketPath)]),
            null,
            null);
        Assert.True(added.ExitCode == 0, added.ToString());

        // No passphrase given: reading the (still encrypted) original would fail the connect.
        SshClientOptions options = AgentOnly(sshd) with { KeyFiles = [TestKeys.Ed25519WithPassphrase.PrivateKeyPath] };
        await using SshClientConnection connection = await ClientInterop.ConnectAsync(sshd, options);

        await Assert.ThrowsAsync<SshKeyPassphraseException>(() => ClientInterop.ConnectAsync(sshd, options with { UseAgent = false }));
    }

    [Fact]
    public async Task A_certificate_in_the_agent_is_offered_as_a_certificate_to_an_sshd_trusting_its_ca()
    {
        string key = _agent.CopyKey(TestKeys.Ecdsa384, "id_cert");
        string ca = Path.Combine(_agent.Directory, "user_ca");
        Keys.OpenSshTool.SshKeygen("-q", "-t", "ed25519", "-N", "", "-f", ca);
        Keys.OpenSshTool.SshKeygen("-q", "-s", ca, "-I", "rx-agent-login", "-n", SshdServer.UserName, "-V", "-5m:+1h", key + ".pub");
        await _agent.SshAddAsync(key);
        await using SshdServer sshd = await SshdServer.StartAsync(new SshdOptions
        {
            AuthorizedKeys = [],
            ExtraLines = [$"TrustedUserCAKeys {ca}.pub", "MaxAuthTries 2"],
        });

        // The configured key's certificate is the agent's: offered first, as a certificate.
        SshClientOptions options = AgentOnly(sshd) with { KeyFiles = [key] };
        await using SshClientConnection connection = await ClientInterop.ConnectAsync(sshd, options);

        Assert.True(sshd.Log.Contains("rx-agent-login"), sshd.Log.Text);
    }

    [Fact]
    public async Task An_agent_holding_only_a_keys_certificate_leaves_the_file_to_sign_plain()
    {
        using SshPrivateKey ca = SshPrivateKey.Generate("ssh-ed25519");
        using SshPrivateKey key = SshPrivateKey.Load(TestKeys.Ecdsa384.PrivateKeyPath);
        SshCertificate certificate = new SshCertificateBuilder(key.PublicKey, SshCertificateType.User, "untrusted-ca")
        {
            Principals = [SshdServer.UserName],
            ValidAfter = DateTimeOffset.UtcNow.AddMinutes(-5),
            ValidBefore = DateTimeOffset.UtcNow.AddHours(1),
        }.Sign(ca);
        await using (SshAgentClient agent = await SshAgentClient.ConnectAsync(_agent.SocketPath).WithTimeout())
        {
            await agent.AddAsync(key, certificate: certificate).WithTimeout();
        }

        // sshd trusts the plain key, not the CA: the agent's certificate is refused (one try), then the file signs.
        await using SshdServer sshd = await SshdServer.StartAsync(new SshdOptions { AuthorizedKeys = [TestKeys.Ecdsa384], ExtraLines = ["MaxAuthTries 2"] });
        SshClientOptions options = AgentOnly(sshd) with { KeyFiles = [TestKeys.Ecdsa384.PrivateKeyPath], IdentitiesOnly = true };

        await using SshClientConnection connection = await ClientInterop.ConnectAsync(sshd, options);
    }

    [Fact]
    public async Task An_agent_that_refuses_to_sign_costs_its_keys_not_the_login()
    {
        await using var fake = new FakeAgent(async (request, socket) =>
        {
            byte[] blob = Convert.FromBase64String(TestKeys.Ed25519.PublicKeyBase64);
            await socket.SendAsync(request[0] == 13
                ? FakeAgent.Frame(5)
                : FakeAgent.Frame([12, 0, 0, 0, 1, 0, 0, 0, (byte)blob.Length, .. blob, 0, 0, 0, 0]));
        });
        await using SshdServer sshd = await SshdServer.StartAsync(new SshdOptions { AuthorizedKeys = [TestKeys.Ed25519, TestKeys.Ecdsa256] });
        SshClientOptions options = AgentOnly(sshd) with { AgentPath = fake.SocketPath };

        var denied = await Assert.ThrowsAsync<SshPermissionDeniedException>(() => ClientInterop.ConnectAsync(sshd, options));
        var refusal = Assert.IsType<SshAgentException>(denied.InnerException);
        Assert.Equal(SshAgentFailure.Refused, refusal.Failure);
        Assert.Contains(fake.SocketPath, denied.Message, StringComparison.Ordinal);

        // With another key file, that file signs after the agent refused.
        await using SshClientConnection connection = await ClientInterop.ConnectAsync(sshd, options with { KeyFiles = [TestKeys.Ecdsa256.PrivateKeyPath] });
    }

    [Fact]
    public async Task An_agent_answering_garbage_or_gone_is_skipped_and_the_key_files_still_log_in()
    {
        await using var fake = new FakeAgent(FakeAgent.Always([0xFF, 0xFF, 0xFF, 0xFF]));
        await using SshdServer sshd = await SshdServer.StartAsync(new SshdOptions { AuthorizedKeys = [TestKeys.Ed25519] });

        foreach (string path in new[] { fake.SocketPath, Path.Combine(_agent.Directory, "no-such.sock") })
        {
            SshClientOptions options = ClientInterop.Options(sshd) with { AgentPath = path };
            await using SshClientConnection connection = await ClientInterop.ConnectAsync(sshd, options);
        }
    }

    private SshClientOptions AgentOnly(SshdServer sshd) => ClientInterop.Options(sshd) with
    {
        KeyFiles = [],
        UseDefaultKeys = false,
        AgentPath = _agent.SocketPath,
    };
}
