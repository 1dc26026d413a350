namespace Rx.Ssh.Tests.Infrastructure;

public sealed class TestKeysTests
{
    [Fact]
    public void Each_user_key_is_a_key_pair_of_its_type()
    {
        foreach (TestKey key in TestKeys.All)
        {
            Assert.True(File.Exists(key.PrivateKeyPath), key.ToString());
            Assert.StartsWith(key.SshKeyType + " ", key.PublicKeyLine, StringComparison.Ordinal);
            Assert.Equal(File.ReadAllText(key.PublicKeyPath).Trim(), key.PublicKeyLine);
            Assert.StartsWith("-----BEGIN OPENSSH PRIVATE KEY-----", key.ReadPrivateKeyText(), StringComparison.Ordinal);
        }

        Assert.Equal(5, TestKeys.Unencrypted.Select(k => k.Type).Distinct().Count());
        Assert.Equal(6, TestKeys.All.Select(k => k.PublicKeyLine).Distinct().Count());
    }

    [Fact]
    public void Public_blob_starts_with_the_key_type_string()
    {
        TestKey key = TestKeys.Ecdsa384;

        byte[] blob = key.PublicKeyBlob;

        int length = (blob[0] << 24) | (blob[1] << 16) | (blob[2] << 8) | blob[3];
        Assert.Equal("ecdsa-sha2-nistp384", System.Text.Encoding.ASCII.GetString(blob, 4, length));
    }

    [Fact]
    public async Task Passphrase_key_opens_only_with_its_passphrase()
    {
        TestKey key = TestKeys.Ed25519WithPassphrase;

        ProcessResult right = await ProcessRunner.RunAsync("ssh-keygen", ["-y", "-P", TestKeys.Passphrase, "-f", key.PrivateKeyPath]);
        ProcessResult wrong = await ProcessRunner.RunAsync("ssh-keygen", ["-y", "-P", "wrong horse", "-f", key.PrivateKeyPath]);

        Assert.Equal(0, right.ExitCode);
        Assert.StartsWith(key.PublicKeyLine.Split(' ')[0] + " " + key.PublicKeyBase64, right.StdoutText, StringComparison.Ordinal);
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Equal(TestKeys.Passphrase, key.Passphrase);
    }

    [Fact]
    public void Known_hosts_text_uses_the_bracketed_host_and_port()
    {
        string text = TestKeys.KnownHostsText(40022, HostKeys.Default);

        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal("[127.0.0.1]:40022 ssh-ed25519 " + HostKeys.Default[0].PublicKeyBase64, lines[0]);
        Assert.StartsWith("[127.0.0.1]:40022 ecdsa-sha2-nistp256 ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("[127.0.0.1]:40022 ssh-rsa ", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Authorized_keys_text_lists_every_user_key()
    {
        string text = TestKeys.AuthorizedKeysText();

        Assert.Equal(TestKeys.All.Select(k => k.PublicKeyLine), text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
