using System.Diagnostics;
using Rx.Ssh.Messages;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Keys.Certificates;

namespace Rx.Ssh.Tests.Server;

/// <summary>
/// A publickey query carrying a certificate nested as deep as one packet allows is refused at once,
/// before authentication, and the connection carries on.
/// </summary>
public sealed class ServerNestedCertificateTests
{
    private const string Algorithm = "ssh-ed25519-cert-v01@openssh.com";

    [Fact]
    public async Task Deeply_nested_certificate_query_fails_fast_and_the_server_carries_on()
    {
        // As deep as fits in one 256 KiB packet, with room for the request around it (about 2,000 levels).
        int depth = (256 * 1024 - 1024) / NestedCertificate.BytesPerLevel;
        Assert.InRange(depth, 1900, 2100);
        byte[] deep = NestedCertificate.Build(depth, InMemoryServer.HostKey.PublicKey);
        byte[] shallow = NestedCertificate.Build(2, InMemoryServer.HostKey.PublicKey);

        (RawSshClient client, Task<SshServerConnection> server) = await RawSshClient.StartInMemoryAsync(InMemoryServer.DefaultServerOptions());
        await using (client)
        {
            await client.RequestUserAuthAsync();
            await QueryAsync(client, shallow); // warm up (JIT)

            var clock = Stopwatch.StartNew();
            await QueryAsync(client, deep);
            clock.Stop();
            Assert.True(clock.ElapsedMilliseconds < 50, $"the refusal took {clock.ElapsedMilliseconds} ms");

            // The server is alive and this connection still works.
            await client.SendPasswordAsync("alice", "secret");
            Assert.Equal(MessageNumber.UserAuthSuccess, (await client.ReceiveSkippingBannersAsync())[0]);
            await using SshServerConnection connection = await server.WaitAsync(TestTimeout.Default);
            Assert.Equal("alice", connection.UserName);
        }
    }

    /// <summary>An unsigned publickey request for <paramref name="blob"/>; expects USERAUTH_FAILURE.</summary>
    private static async Task QueryAsync(RawSshClient client, byte[] blob)
    {
        await client.SendAuthRequestAsync("alice", "publickey", w =>
        {
            w.WriteBoolean(false);
            w.WriteString(Algorithm);
            w.WriteString(blob);
        });
        Assert.Equal(MessageNumber.UserAuthFailure, (await client.ReceiveSkippingBannersAsync())[0]);
    }
}
