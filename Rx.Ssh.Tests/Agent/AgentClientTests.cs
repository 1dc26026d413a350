using System.Text;
using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Wire;

namespace Rx.Ssh.Tests.Agent;

/// <summary><see cref="SshAgentClient"/> against OpenSSH's <c>ssh-agent</c>, keys added with <c>ssh-add</c>, results checked with <c>ssh-add</c>.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AgentClientTests : IAsyncLifetime
{
    private static readonly byte[] Data = Encoding.UTF8.GetBytes("session id and userauth request");
    private OpenSshAgent _agent = null!;
    private SshAgentClient _client = null!;

    public async Task InitializeAsync()
    {
        _agent = await OpenSshAgent.StartAsync();
        foreach (TestKey key in new[] { TestKeys.Ed25519, TestKeys.Rsa2048, TestKeys.Ecdsa256 })
        {
            await _agent.SshAddAsync(key.PrivateKeyPath);
        }

        _client = await SshAgentClient.ConnectAsync(_agent.SocketPath).WithTimeout();
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _agent.DisposeAsync();
    }

    [Fact]
    public async Task Lists_what_ssh_add_lists_in_the_same_order()
    {
        IReadOnlyList<SshAgentIdentity> identities = await _client.GetIdentitiesAsync().WithTimeout();

        string listed = await _agent.SshAddAsync("-L");
        Assert.Equal(
            listed.TrimEnd('\n').Split('\n'),
            identities.Select(i => i.PublicKey.ToOpenSshString(i.Comment)));
        Assert.Equal(
            [TestKeys.Ed25519.PublicKeyBase64, TestKeys.Rsa2048.PublicKeyBase64, TestKeys.Ecdsa256.PublicKeyBase64],
            identities.Select(i => Convert.ToBase64String(i.PublicKey.Blob.Span)));
        Assert.All(identities, i => Assert.Same(_client, i.Agent));
    }

    [Theory]
    [InlineData("ssh-ed25519")]
    [InlineData("ecdsa-sha2-nistp256")]
    [InlineData("rsa-sha2-256")]
    [InlineData("rsa-sha2-512")]
    [InlineData("ssh-rsa")]
    public async Task Signs_with_the_asked_algorithm_and_the_signature_verifies(string algorithm)
    {
        IReadOnlyList<SshAgentIdentity> identities = await _client.GetIdentitiesAsync().WithTimeout();
        SshAgentIdentity identity = identities.Single(i => i.SignatureAlgorithms.Contains(algorithm));

        byte[] signature = await identity.SignAsync(algorithm, Data).AsTask().WithTimeout();

        Assert.Equal(algorithm, SignatureAlgorithmOf(signature));
        Assert.True(identity.PublicKey.VerifySignature(Data, signature));
        Assert.False(identity.PublicKey.VerifySignature(Encoding.UTF8.GetBytes("other data"), signature));
    }

    [Theory]
    [InlineData("ssh-ed25519", 0)]
    [InlineData("ecdsa-sha2-nistp384", 0)]
    [InlineData("ssh-rsa", 2048)]
    public async Task A_key_we_add_is_listed_by_ssh_add_signs_and_is_removed(string keyType, int bits)
    {
        using SshPrivateKey key = SshPrivateKey.Generate(keyType, bits);
        key.Comment = "added-by-rx";

        await _client.AddAsync(key).WithTimeout();

        Assert.Contains(key.PublicKey.ToOpenSshString("added-by-rx"), await _agent.SshAddAsync("-L"), StringComparison.Ordinal);
        string algorithm = key.SignatureAlgorithms[0];
        byte[] signature = await _client.SignAsync(key.PublicKey, algorithm, Data).WithTimeout();
        Assert.True(key.PublicKey.VerifySignature(Data, signature));

        await _client.RemoveAsync(key.PublicKey).WithTimeout();
        Assert.DoesNotContain(key.PublicKey.ToOpenSshString(), await _agent.SshAddAsync("-L"), StringComparison.Ordinal);
        var again = await Assert.ThrowsAsync<SshAgentException>(() => _client.RemoveAsync(key.PublicKey).WithTimeout());
        Assert.Equal(SshAgentFailure.Refused, again.Failure);
        Assert.Equal(3, (await _client.GetIdentitiesAsync().WithTimeout()).Count); // a refusal leaves the connection usable
    }

    [Theory]
    [InlineData("ssh-ed25519", 0)]
    [InlineData("ecdsa-sha2-nistp256", 0)]
    [InlineData("ssh-rsa", 2048)]
    public async Task A_key_added_with_its_certificate_is_listed_as_that_certificate_and_signs(string keyType, int bits)
    {
        using SshPrivateKey ca = SshPrivateKey.Generate("ssh-ed25519");
        using SshPrivateKey key = SshPrivateKey.Generate(keyType, bits);
        SshCertificate certificate = new SshCertificateBuilder(key.PublicKey, SshCertificateType.User, "rx-added-cert")
        {
            Principals = ["someone"],
            ValidAfter = DateTimeOffset.UtcNow.AddMinutes(-5),
            ValidBefore = DateTimeOffset.UtcNow.AddHours(1),
        }.Sign(ca);

        await _client.AddAsync(key, certificate: certificate).WithTimeout();

        SshAgentIdentity identity = (await _client.GetIdentitiesAsync().WithTimeout()).Single(i => i.Certificate is not null);
        Assert.Equal(certificate, identity.PublicKey);
        Assert.Equal("rx-added-cert", identity.Certificate!.KeyId);
        Assert.Contains(certificate.ToOpenSshString(), await _agent.SshAddAsync("-L"), StringComparison.Ordinal);
        string algorithm = identity.SignatureAlgorithms[0];
        byte[] signature = await identity.SignAsync(algorithm, Data).AsTask().WithTimeout();
        Assert.True(key.PublicKey.VerifySignature(Data, signature));
    }

    [Fact]
    public async Task A_certificate_added_by_ssh_add_is_listed_as_a_certificate()
    {
        string key = _agent.CopyKey(TestKeys.Ecdsa384, "id_cert");
        string ca = Path.Combine(_agent.Directory, "ca");
        Keys.OpenSshTool.SshKeygen("-q", "-t", "ed25519", "-N", "", "-f", ca);
        Keys.OpenSshTool.SshKeygen("-q", "-s", ca, "-I", "rx-agent-cert", "-n", "someone", "-V", "-5m:+1h", key + ".pub");

        await _agent.SshAddAsync(key); // adds the key and key-cert.pub

        IReadOnlyList<SshAgentIdentity> identities = await _client.GetIdentitiesAsync().WithTimeout();
        SshCertificate certificate = Assert.Single(identities, i => i.Certificate is not null).Certificate!;
        Assert.Equal("rx-agent-cert", certificate.KeyId);
        Assert.Equal(SshPublicKey.Parse(TestKeys.Ecdsa384.PublicKeyLine), certificate.Key);
        Assert.Equal(["ecdsa-sha2-nistp384"], identities.Single(i => i.Certificate is not null).SignatureAlgorithms);
    }

    [Fact]
    public async Task Remove_all_empties_the_agent()
    {
        await _client.RemoveAllAsync().WithTimeout();

        Assert.Empty(await _client.GetIdentitiesAsync().WithTimeout());
        ProcessResult listed = await _agent.RunSshAddAsync("-l");
        Assert.Equal(1, listed.ExitCode);
    }

    [Fact]
    public async Task A_locked_agent_lists_nothing_and_refuses_to_sign_until_unlocked_with_its_passphrase()
    {
        SshAgentIdentity ed25519 = (await _client.GetIdentitiesAsync().WithTimeout())[0];

        await _client.LockAsync("lock phrase").WithTimeout();

        Assert.Empty(await _client.GetIdentitiesAsync().WithTimeout());
        var refused = await Assert.ThrowsAsync<SshAgentException>(() => ed25519.SignAsync("ssh-ed25519", Data).AsTask().WithTimeout());
        Assert.Equal(SshAgentFailure.Refused, refused.Failure);
        Assert.Contains(_agent.SocketPath, refused.Message, StringComparison.Ordinal);
        var wrong = await Assert.ThrowsAsync<SshAgentException>(() => _client.UnlockAsync("not it").WithTimeout());
        Assert.Equal(SshAgentFailure.Refused, wrong.Failure);

        await _client.UnlockAsync("lock phrase").WithTimeout();

        Assert.Equal(3, (await _client.GetIdentitiesAsync().WithTimeout()).Count);
        byte[] signature = await ed25519.SignAsync("ssh-ed25519", Data).AsTask().WithTimeout();
        Assert.True(ed25519.PublicKey.VerifySignature(Data, signature));
    }

    [Fact]
    public async Task Constraints_go_to_the_agent_a_confirmed_key_is_refused_when_no_one_confirms()
    {
        using SshPrivateKey timed = SshPrivateKey.Generate("ssh-ed25519");
        using SshPrivateKey confirmed = SshPrivateKey.Generate("ssh-ed25519");

        await _client.AddAsync(timed, new SshAgentKeyConstraints { Lifetime = TimeSpan.FromHours(1) }).WithTimeout();
        await _client.AddAsync(confirmed, new SshAgentKeyConstraints { Confirm = true }).WithTimeout();

        Assert.Equal(5, (await _client.GetIdentitiesAsync().WithTimeout()).Count);
        byte[] signature = await _client.SignAsync(timed.PublicKey, "ssh-ed25519", Data).WithTimeout();
        Assert.True(timed.PublicKey.VerifySignature(Data, signature));
        // The agent's askpass is /bin/false: the confirmation is declined.
        var refused = await Assert.ThrowsAsync<SshAgentException>(() => _client.SignAsync(confirmed.PublicKey, "ssh-ed25519", Data).WithTimeout());
        Assert.Equal(SshAgentFailure.Refused, refused.Failure);
    }

    [Fact]
    public async Task Signing_with_a_key_the_agent_does_not_hold_is_refused()
    {
        using SshPrivateKey stranger = SshPrivateKey.Generate("ssh-ed25519");

        var refused = await Assert.ThrowsAsync<SshAgentException>(() => _client.SignAsync(stranger.PublicKey, "ssh-ed25519", Data).WithTimeout());

        Assert.Equal(SshAgentFailure.Refused, refused.Failure);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SshAgentKeyConstraints { Lifetime = TimeSpan.Zero });
        await Assert.ThrowsAsync<ArgumentException>(() => _client.SignAsync(stranger.PublicKey, "rsa-sha2-512", Data));
    }

    private static string SignatureAlgorithmOf(byte[] signature)
    {
        var reader = new SshReader(signature);
        return reader.ReadAsciiString();
    }
}
