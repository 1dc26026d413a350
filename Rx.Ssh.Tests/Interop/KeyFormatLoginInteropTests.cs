using System.Reactive.Linq;
using Rx.Ssh.Keys;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Keys;

namespace Rx.Ssh.Tests.Interop;

/// <summary>The client logs in to sshd with identity files in the formats we write: PuTTY .ppk and GCM-encrypted OpenSSH.</summary>
[Collection(SshdCollection.Name)]
public sealed class KeyFormatLoginInteropTests
{
    private readonly SshdServer _server;

    public KeyFormatLoginInteropTests(SshdFixture fixture) => _server = fixture.Server;

    [Theory]
    [InlineData(2, "ssh-rsa")]
    [InlineData(3, "ssh-ed25519")]
    [InlineData(3, "ecdsa-sha2-nistp384")]
    public async Task Client_logs_in_with_an_encrypted_ppk_identity_file(int version, string keyType)
    {
        using var directory = new TempDirectory();
        TestKey testKey = TestKeys.Unencrypted.First(k => SshPrivateKey.Load(k.PrivateKeyPath).KeyType == keyType);
        using SshPrivateKey key = SshPrivateKey.Load(testKey.PrivateKeyPath);
        string path = directory.File("id.ppk");
        key.SavePutty(path, "ppk pass", new PuttyKeyFileOptions { Version = version, Argon2MemoryKiB = 1024, Argon2Passes = 2 });
        SshClientOptions options = ClientInterop.Options(_server) with { KeyFiles = [path], Passphrase = "ppk pass" };

        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server, options);
        SshCompletedProcess result = await conn.Run("echo ppk");

        Assert.Equal("ppk\n", result.Stdout);
    }

    [Fact]
    public async Task Client_logs_in_with_a_gcm_encrypted_openssh_identity_file()
    {
        using var directory = new TempDirectory();
        using SshPrivateKey key = SshPrivateKey.Load(TestKeys.Ed25519.PrivateKeyPath);
        string path = directory.File("id_ed25519");
        key.Save(path, "gcm pass", "aes256-gcm@openssh.com");
        SshClientOptions options = ClientInterop.Options(_server) with { KeyFiles = [path], Passphrase = "gcm pass" };

        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server, options);
        SshCompletedProcess result = await conn.Run("echo gcm");

        Assert.Equal("gcm\n", result.Stdout);
    }
}
