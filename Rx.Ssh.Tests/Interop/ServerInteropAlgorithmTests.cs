using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// OpenSSH's ssh against the Rx.Ssh server, one algorithm forced at a time: user key types,
/// host key types (the server holds ed25519, ecdsa and rsa host keys at once), key exchange,
/// ciphers and MACs. Each case runs one tiny command and checks what ssh negotiated (DEBUG1 log).
/// </summary>
public sealed class ServerInteropAlgorithmTests : IAsyncLifetime
{
    private RxSshServerUnderTest? _server;

    private RxSshServerUnderTest Server => _server!;

    public async Task InitializeAsync() =>
        _server = await RxSshServerUnderTest.StartAsync(new SshServerOptions { ProcessHandler = ServerInteropCommands.HandleAsync });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public static TheoryData<TestKeyType, string> UserKeys => new()
    {
        { TestKeyType.Ed25519, "ssh-ed25519" },
        { TestKeyType.Ecdsa256, "ecdsa-sha2-nistp256" },
        { TestKeyType.Ecdsa384, "ecdsa-sha2-nistp384" },
        { TestKeyType.Ecdsa521, "ecdsa-sha2-nistp521" },
        { TestKeyType.Rsa2048, "rsa-sha2-256" },
        { TestKeyType.Rsa2048, "rsa-sha2-512" },
    };

    [Theory]
    [MemberData(nameof(UserKeys))]
    public async Task Each_user_key_type_logs_in(TestKeyType type, string signatureAlgorithm)
    {
        OpenSshClient ssh = Server.Client(TestKeys.Get(type)).WithOptions("LogLevel=DEBUG1", "PubkeyAcceptedAlgorithms=" + signatureAlgorithm);

        ProcessResult result = await ssh.RunAsync("hello");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("hello tester\n", result.StdoutText);
        Assert.Contains("Authenticated to 127.0.0.1", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("using \"publickey\"", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_rsa_key_signing_with_sha1_is_refused()
    {
        OpenSshClient ssh = Server.Client(TestKeys.Rsa2048).WithOptions("PubkeyAcceptedAlgorithms=ssh-rsa");

        ProcessResult result = await ssh.RunAsync("hello");

        Assert.True(result.ExitCode == 255, result.ToString());
        Assert.Contains("Permission denied", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ssh-ed25519")]
    [InlineData("ecdsa-sha2-nistp256")]
    [InlineData("rsa-sha2-256")]
    [InlineData("rsa-sha2-512")]
    public async Task Each_host_key_type_is_served_and_verified(string hostKeyAlgorithm)
    {
        OpenSshClient ssh = Server.Client() with { HostKeyAlgorithms = [hostKeyAlgorithm], Options = ["LogLevel=DEBUG1"] };

        ProcessResult result = await ssh.RunAsync("hello");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("hello tester\n", result.StdoutText);
        Assert.Contains("kex: host key algorithm: " + hostKeyAlgorithm, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Host '[127.0.0.1]:" + Server.Port + "' is known and matches", result.Stderr, StringComparison.Ordinal);
    }

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
    public async Task Each_key_exchange_works(string kex)
    {
        OpenSshClient ssh = Server.Client() with { KexAlgorithms = [kex], Options = ["LogLevel=DEBUG1"] };

        ProcessResult result = await ssh.RunAsync("hello");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("hello tester\n", result.StdoutText);
        Assert.Contains("kex: algorithm: " + kex, result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("diffie-hellman-group14-sha1")]
    [InlineData("diffie-hellman-group1-sha1")]
    [InlineData("diffie-hellman-group-exchange-sha1")]
    public async Task Legacy_key_exchange_works_once_enabled_and_is_refused_by_default(string kex)
    {
        OpenSshClient ssh = Server.Client() with { KexAlgorithms = [kex], Options = ["LogLevel=DEBUG1"] };
        ProcessResult refused = await ssh.RunAsync("hello");
        Assert.True(refused.ExitCode == 255, refused.ToString());
        Assert.Contains("no matching key exchange method found", refused.Stderr, StringComparison.Ordinal);

        await using RxSshServerUnderTest legacy = await RxSshServerUnderTest.StartAsync(new SshServerOptions
        {
            ProcessHandler = ServerInteropCommands.HandleAsync,
            Algorithms = SshAlgorithms.Default with { KeyExchange = SshAlgorithms.Edit(SshAlgorithms.Default.KeyExchange, "+" + kex) },
        });
        ProcessResult result = await (legacy.Client() with { KexAlgorithms = [kex], Options = ["LogLevel=DEBUG1"] }).RunAsync("hello");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("kex: algorithm: " + kex, result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aes128-gcm@openssh.com", null)]
    [InlineData("aes256-gcm@openssh.com", null)]
    [InlineData("chacha20-poly1305@openssh.com", null)]
    [InlineData("aes128-ctr", "hmac-sha2-256")]
    [InlineData("aes192-ctr", "hmac-sha2-512")]
    [InlineData("aes256-ctr", "hmac-sha2-256-etm@openssh.com")]
    [InlineData("aes128-ctr", "hmac-sha2-512-etm@openssh.com")]
    [InlineData("aes192-ctr", "hmac-sha2-256-etm@openssh.com")]
    [InlineData("aes256-ctr", "hmac-sha2-512")]
    [InlineData("aes128-ctr", "umac-64@openssh.com")]
    [InlineData("aes256-ctr", "umac-128@openssh.com")]
    [InlineData("aes192-ctr", "umac-64-etm@openssh.com")]
    [InlineData("aes128-ctr", "umac-128-etm@openssh.com")]
    [InlineData("aes128-ctr", "hmac-sha1")]
    [InlineData("aes256-ctr", "hmac-sha1-etm@openssh.com")]
    public async Task Each_cipher_and_mac_carries_data_both_ways(string cipher, string? mac)
    {
        OpenSshClient ssh = Server.Client() with
        {
            Ciphers = [cipher],
            Macs = mac is null ? null : [mac],
            Options = ["LogLevel=DEBUG1"],
        };
        byte[] input = new byte[100_000];
        new Random(7).NextBytes(input);

        ProcessResult result = await ssh.RunAsync("cat", input);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(input, result.Stdout);
        string macText = mac ?? "<implicit>";
        Assert.Contains($"kex: server->client cipher: {cipher} MAC: {macText}", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"kex: client->server cipher: {cipher} MAC: {macText}", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aes128-cbc", "hmac-sha1")]
    [InlineData("aes192-cbc", "hmac-md5")]
    [InlineData("aes256-cbc", "hmac-sha1-96")]
    [InlineData("3des-cbc", "hmac-md5-96")]
    [InlineData("aes128-ctr", "hmac-md5-etm@openssh.com")]
    [InlineData("aes256-cbc", "hmac-md5-96-etm@openssh.com")]
    [InlineData("3des-cbc", "hmac-sha1-96-etm@openssh.com")]
    public async Task Legacy_cipher_and_mac_work_once_enabled_and_are_refused_by_default(string cipher, string mac)
    {
        OpenSshClient ssh = Server.Client() with { Ciphers = [cipher], Macs = [mac], Options = ["LogLevel=DEBUG1"] };
        ProcessResult refused = await ssh.RunAsync("hello");
        Assert.True(refused.ExitCode == 255, refused.ToString());
        Assert.Contains("no matching", refused.Stderr, StringComparison.Ordinal);

        await using RxSshServerUnderTest legacy = await RxSshServerUnderTest.StartAsync(new SshServerOptions
        {
            ProcessHandler = ServerInteropCommands.HandleAsync,
            Algorithms = SshAlgorithms.Default with
            {
                Ciphers = SshAlgorithms.Edit(SshAlgorithms.Default.Ciphers, "+" + cipher),
                Macs = SshAlgorithms.Edit(SshAlgorithms.Default.Macs, "+" + mac),
            },
        });
        byte[] input = new byte[100_000];
        new Random(8).NextBytes(input);
        ProcessResult result = await (legacy.Client() with { Ciphers = [cipher], Macs = [mac], Options = ["LogLevel=DEBUG1"] }).RunAsync("cat", input);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(input, result.Stdout);
        Assert.Contains($"kex: client->server cipher: {cipher} MAC: {mac}", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"kex: server->client cipher: {cipher} MAC: {mac}", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hmac_md5_is_not_offered_by_default()
    {
        OpenSshClient ssh = Server.Client() with { Ciphers = ["aes128-ctr"], Macs = ["hmac-md5"] };

        ProcessResult result = await ssh.RunAsync("hello");

        Assert.True(result.ExitCode == 255, result.ToString());
        Assert.Contains("no matching MAC found", result.Stderr, StringComparison.Ordinal);
    }
}
