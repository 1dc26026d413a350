using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Interop;

/// <summary>Against sshd with its three default host keys, the type known_hosts has decides the algorithm.</summary>
public sealed class HostKeyOrderInteropTests
{
    [Theory]
    [InlineData(TestKeyType.Rsa2048)]
    [InlineData(TestKeyType.Ecdsa256)]
    public async Task Known_key_type_is_negotiated(TestKeyType type)
    {
        await using SshdServer server = await SshdServer.StartAsync(new SshdOptions());
        string knownHosts = Path.Combine(server.Directory, "known_hosts_" + type);
        File.WriteAllText(knownHosts, $"{KnownHostsFile.LookupName(SshdServer.Host, server.Port)} {HostKeys.Get(type).PublicKeyLine}\n");
        SshClientOptions options = ClientInterop.Options(server) with { HostKeyVerifier = new KnownHostsVerifier(knownHosts) };

        await using SshClientConnection conn = await ClientInterop.ConnectAsync(server, options);

        Assert.Equal(type.SshName(), conn.HostKey.KeyType);
    }
}
