using Rx.Ssh.Keys;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Trust;

/// <summary>
/// The client offers the host key algorithms of the key types known_hosts has for the server first
/// (OpenSSH's order_hostkeyalgs), so a server with several host keys proves the known one.
/// </summary>
public sealed class HostKeyOrderTests : IDisposable
{
    private const string Host = "in-memory";
    private static readonly Lazy<SshPrivateKey> RsaHostKey = new(() => SshPrivateKey.Load(HostKeys.Get(TestKeyType.Rsa2048).PrivateKeyPath));
    private readonly string _knownHosts = Path.Combine(Path.GetTempPath(), "rxssh-order-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(_knownHosts);

    private Task<InMemoryServer> ConnectAsync(string knownHosts)
    {
        File.WriteAllText(_knownHosts, knownHosts);
        SshServerOptions server = InMemoryServer.DefaultServerOptions() with { HostKeys = [InMemoryServer.HostKey, RsaHostKey.Value] };
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with { HostKeyVerifier = new KnownHostsVerifier(_knownHosts) };
        return InMemoryServer.StartAsync(server, client);
    }

    [Fact]
    public async Task Only_an_rsa_key_known_negotiates_rsa()
    {
        await using InMemoryServer pair = await ConnectAsync($"{Host} {RsaHostKey.Value.PublicKey.ToOpenSshString()}\n");

        Assert.Equal(RsaHostKey.Value.PublicKey, pair.Client.HostKey);
        Assert.Equal("rsa-sha2-512", pair.Client.Transport.Negotiated?.HostKey);
    }

    [Fact]
    public async Task Only_an_ed25519_key_known_keeps_the_default_order()
    {
        await using InMemoryServer pair = await ConnectAsync($"{Host} {InMemoryServer.HostKey.PublicKey.ToOpenSshString()}\n");

        Assert.Equal(InMemoryServer.HostKey.PublicKey, pair.Client.HostKey);
    }

    [Fact]
    public async Task Keys_for_other_hosts_do_not_change_the_order()
    {
        // Nothing known for this host: the default order picks ed25519, which is then unknown.
        string lines = $"elsewhere {RsaHostKey.Value.PublicKey.ToOpenSshString()}\n";

        var error = await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(() => ConnectAsync(lines));

        Assert.Equal(HostKeyTrustFailure.Unknown, error.Failure);
        Assert.Equal("ssh-ed25519", error.KeyType);
    }

    [Fact]
    public void Verifier_lists_the_known_types_for_the_host()
    {
        File.WriteAllText(_knownHosts, $"{Host} {RsaHostKey.Value.PublicKey.ToOpenSshString()}\n@revoked {Host} {InMemoryServer.HostKey.PublicKey.ToOpenSshString()}\nother {InMemoryServer.HostKey.PublicKey.ToOpenSshString()}\n");

        Assert.Equal(["ssh-rsa"], new KnownHostsVerifier(_knownHosts).KnownKeyTypes(Host, 22));
    }
}
