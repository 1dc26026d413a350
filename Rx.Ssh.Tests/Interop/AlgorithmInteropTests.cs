using System.Reactive.Linq;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Interop;

/// <summary>Each implemented algorithm forced on OpenSSH's sshd, one at a time.</summary>
public sealed class AlgorithmInteropTests
{
    [Theory]
    [InlineData("curve25519-sha256")]
    [InlineData("curve25519-sha256@libssh.org")]
    [InlineData("ecdh-sha2-nistp256")]
    [InlineData("ecdh-sha2-nistp384")]
    [InlineData("ecdh-sha2-nistp521")]
    [InlineData("sntrup761x25519-sha512")]
    [InlineData("sntrup761x25519-sha512@openssh.com")]
    [InlineData("diffie-hellman-group-exchange-sha256")]
    [InlineData("diffie-hellman-group16-sha512")]
    [InlineData("diffie-hellman-group18-sha512")]
    [InlineData("diffie-hellman-group14-sha256")]
    [InlineData("diffie-hellman-group14-sha1")]
    [InlineData("diffie-hellman-group1-sha1")]
    [InlineData("diffie-hellman-group-exchange-sha1")]
    public async Task Key_exchange(string kex)
    {
        await using SshdServer server = await SshdServer.StartAsync(new SshdOptions { KexAlgorithms = [kex] });
        // The SHA-1 methods are off by default: name the method explicitly, as a user must.
        SshClientOptions options = ClientInterop.Options(server) with { Algorithms = SshAlgorithms.Default with { KeyExchange = [kex] } };
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(server, options);
        Assert.Equal(kex, conn.KeyExchange);
        conn.Rekey();
        SshCompletedProcess result = await conn.Run("echo ok");
        Assert.Equal("ok\n", result.Stdout);
        Assert.Equal(2, conn.Transport.KeyExchangeCount);
    }

    [Fact]
    public async Task Legacy_sha1_kex_is_not_offered_by_default()
    {
        await using SshdServer server = await SshdServer.StartAsync(new SshdOptions { KexAlgorithms = ["diffie-hellman-group14-sha1"] });
        SshKeyExchangeException error = await Assert.ThrowsAsync<SshKeyExchangeException>(() => ClientInterop.ConnectAsync(server));
        Assert.Equal("key exchange", error.Kind);
        Assert.Contains("diffie-hellman-group14-sha1", error.Theirs);
        Assert.DoesNotContain("diffie-hellman-group14-sha1", error.Ours);
    }

    [Theory]
    [InlineData("aes128-gcm@openssh.com", null)]
    [InlineData("aes256-gcm@openssh.com", null)]
    [InlineData("chacha20-poly1305@openssh.com", null)]
    [InlineData("aes128-ctr", "hmac-sha2-256-etm@openssh.com")]
    [InlineData("aes192-ctr", "hmac-sha2-512-etm@openssh.com")]
    [InlineData("aes256-ctr", "hmac-sha2-256")]
    [InlineData("aes128-ctr", "hmac-sha2-512")]
    [InlineData("aes128-ctr", "umac-64@openssh.com")]
    [InlineData("aes256-ctr", "umac-128@openssh.com")]
    [InlineData("aes192-ctr", "umac-64-etm@openssh.com")]
    [InlineData("aes128-ctr", "umac-128-etm@openssh.com")]
    [InlineData("aes128-ctr", "hmac-sha1")]
    [InlineData("aes256-ctr", "hmac-sha1-etm@openssh.com")]
    public async Task Cipher(string cipher, string? mac)
    {
        await using SshdServer server = await SshdServer.StartAsync(new SshdOptions { Ciphers = [cipher], Macs = mac is null ? null : [mac] });
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(server);
        Assert.Equal(cipher, conn.Cipher);
        if (mac is not null)
        {
            Assert.Equal(mac, conn.Mac);
        }

        byte[] input = new byte[300_000];
        Random.Shared.NextBytes(input);
        SshCompletedProcess result = await conn.Run("sha256sum", new SshProcessOptions { Input = input });
        Assert.StartsWith(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(input)), result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aes128-cbc", "hmac-sha1")]
    [InlineData("aes192-cbc", "hmac-md5")]
    [InlineData("aes256-cbc", "hmac-sha1-96")]
    [InlineData("3des-cbc", "hmac-md5-96")]
    [InlineData("aes128-ctr", "hmac-md5-etm@openssh.com")]
    [InlineData("aes256-cbc", "hmac-md5-96-etm@openssh.com")]
    [InlineData("3des-cbc", "hmac-sha1-96-etm@openssh.com")]
    public async Task Legacy_cipher_and_mac_once_enabled(string cipher, string mac)
    {
        await using SshdServer server = await SshdServer.StartAsync(new SshdOptions { Ciphers = [cipher], Macs = [mac] });
        SshAlgorithms algorithms = SshAlgorithms.Default with
        {
            Ciphers = SshAlgorithms.Edit(SshAlgorithms.Default.Ciphers, "+" + cipher),
            Macs = SshAlgorithms.Edit(SshAlgorithms.Default.Macs, "+" + mac),
        };
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(server, ClientInterop.Options(server) with { Algorithms = algorithms });
        Assert.Equal(cipher, conn.Cipher);
        byte[] input = new byte[200_000];
        Random.Shared.NextBytes(input);
        SshCompletedProcess result = await conn.Run("sha256sum", new SshProcessOptions { Input = input });
        Assert.StartsWith(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(input)), result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cbc_is_not_offered_by_default()
    {
        await using SshdServer server = await SshdServer.StartAsync(new SshdOptions { Ciphers = ["aes128-cbc"] });
        SshKeyExchangeException error = await Assert.ThrowsAsync<SshKeyExchangeException>(() => ClientInterop.ConnectAsync(server));
        Assert.Contains("aes128-cbc", error.Theirs);
        Assert.DoesNotContain("aes128-cbc", error.Ours);
    }

    [Theory]
    [InlineData(TestKeyType.Ed25519, "ssh-ed25519")]
    [InlineData(TestKeyType.Ecdsa256, "ecdsa-sha2-nistp256")]
    [InlineData(TestKeyType.Rsa2048, "rsa-sha2-512")]
    [InlineData(TestKeyType.Rsa2048, "rsa-sha2-256")]
    public async Task Host_key(TestKeyType type, string algorithm)
    {
        await using SshdServer server = await SshdServer.StartAsync(new SshdOptions { HostKeyTypes = [type], HostKeyAlgorithms = [algorithm] });
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(server);
        Assert.Equal(type.SshName(), conn.HostKey.KeyType);
        Assert.Equal(0, (await conn.Run("true")).ExitStatus);
    }

    [Fact]
    public async Task User_keys_of_every_type_authenticate()
    {
        await using SshdServer server = await SshdServer.StartAsync();
        foreach (TestKey key in TestKeys.All)
        {
            await using SshClientConnection conn = await ClientInterop.ConnectAsync(server, ClientInterop.Options(server, key));
            Assert.Equal("ok\n", (await conn.Run("echo ok")).Stdout);
        }
    }

    [Fact]
    public async Task No_common_cipher_names_both_lists()
    {
        await using SshdServer server = await SshdServer.StartAsync(new SshdOptions { Ciphers = ["aes128-ctr"] });
        SshClientOptions options = ClientInterop.Options(server) with { Algorithms = SshAlgorithms.Default with { Ciphers = ["aes256-gcm@openssh.com"] } };
        SshKeyExchangeException error = await Assert.ThrowsAsync<SshKeyExchangeException>(() => ClientInterop.ConnectAsync(server, options));
        Assert.Contains("aes256-gcm@openssh.com", error.Ours);
        Assert.Contains("aes128-ctr", error.Theirs);
        Assert.Contains("aes128-ctr", error.Message, StringComparison.Ordinal);
    }
}
