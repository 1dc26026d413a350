using System.Security.Cryptography;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// The Rx.Ssh client against Dropbear's server (started by each test on a free port, with host keys
/// dropbearkey made): each key exchange, cipher, MAC and host key algorithm Dropbear has, forced one at
/// a time from our side, and every user key type.
/// </summary>
public sealed class DropbearServerInteropTests : IAsyncLifetime
{
    private DropbearServer? _server;

    private DropbearServer Server => _server!;

    public async Task InitializeAsync() => _server = await DropbearServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private SshClientOptions Options(TestKey? key = null, SshAlgorithms? algorithms = null) => new()
    {
        UserName = DropbearServer.UserName,
        KeyFiles = [(key ?? TestKeys.Ed25519).PrivateKeyPath],
        UseDefaultKeys = false,
        HostKeyVerifier = new KnownHostsVerifier(Server.KnownHostsPath),
        LoginTimeout = TestTimeout.Long,
        Algorithms = algorithms ?? SshAlgorithms.Default,
    };

    private async Task<SshClientConnection> ConnectAsync(SshClientOptions options)
    {
        try
        {
            return await SshClient.ConnectAsync("127.0.0.1", Server.Port, options).WaitAsync(TestTimeout.Long);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException("connecting to " + Server + " failed; its log:\n" + Server.Log.Text, ex);
        }
    }

    private static async Task AssertRoundTripAsync(SshClientConnection connection)
    {
        byte[] input = RandomNumberGenerator.GetBytes(200_000);
        SshCompletedProcess result = await connection.Run("sha256sum", new SshProcessOptions { Input = input }).WithTimeout(TestTimeout.Long);
        Assert.StartsWith(Convert.ToHexStringLower(SHA256.HashData(input)), result.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, result.ExitStatus);
    }

    [Theory]
    [InlineData("curve25519-sha256")]
    [InlineData("curve25519-sha256@libssh.org")]
    [InlineData("ecdh-sha2-nistp256")]
    [InlineData("ecdh-sha2-nistp384")]
    [InlineData("ecdh-sha2-nistp521")]
    [InlineData("diffie-hellman-group14-sha256")]
    [InlineData("diffie-hellman-group14-sha1")]
    public async Task Each_dropbear_key_exchange(string kex)
    {
        // group14-sha1 is off by default: name the method explicitly, as a user must.
        await using SshClientConnection connection = await ConnectAsync(Options(algorithms: SshAlgorithms.Default with { KeyExchange = [kex] }));
        Assert.Equal(kex, connection.KeyExchange);
        connection.Rekey();
        await AssertRoundTripAsync(connection);
        Assert.Equal(2, connection.Transport.KeyExchangeCount);
    }

    [Theory]
    [InlineData("chacha20-poly1305@openssh.com", null)]
    [InlineData("aes128-ctr", "hmac-sha2-256")]
    [InlineData("aes128-ctr", "hmac-sha1")]
    [InlineData("aes256-ctr", "hmac-sha2-256")]
    [InlineData("aes256-ctr", "hmac-sha1")]
    public async Task Each_dropbear_cipher_and_mac(string cipher, string? mac)
    {
        SshAlgorithms algorithms = SshAlgorithms.Default with { Ciphers = [cipher], Macs = mac is null ? SshAlgorithms.Default.Macs : [mac] };
        await using SshClientConnection connection = await ConnectAsync(Options(algorithms: algorithms));
        Assert.Equal(cipher, connection.Cipher);
        Assert.Equal(mac, connection.Mac);
        await AssertRoundTripAsync(connection);
    }

    [Theory]
    [InlineData("ssh-ed25519", "ssh-ed25519")]
    [InlineData("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256")]
    [InlineData("rsa-sha2-256", "ssh-rsa")]
    public async Task Each_dropbear_host_key(string algorithm, string keyType)
    {
        await using SshClientConnection connection = await ConnectAsync(Options(algorithms: SshAlgorithms.Default with { HostKey = [algorithm] }));
        Assert.Equal(keyType, connection.HostKey.KeyType);
        await AssertRoundTripAsync(connection);
    }

    [Theory]
    [InlineData(TestKeyType.Ed25519)]
    [InlineData(TestKeyType.Ecdsa256)]
    [InlineData(TestKeyType.Ecdsa384)]
    [InlineData(TestKeyType.Ecdsa521)]
    [InlineData(TestKeyType.Rsa2048)]
    public async Task Each_user_key_type_logs_in(TestKeyType type)
    {
        await using SshClientConnection connection = await ConnectAsync(Options(TestKeys.Get(type)));
        SshCompletedProcess result = await connection.Run("echo ok; exit 5").WithTimeout(TestTimeout.Long);
        Assert.Equal("ok\n", result.Stdout);
        Assert.Equal(5, result.ExitStatus);
    }
}
