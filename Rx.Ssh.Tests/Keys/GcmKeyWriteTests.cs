using Rx.Ssh.Keys;

using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Keys;

/// <summary>OpenSSH private keys we write encrypted with aes256-gcm@openssh.com.</summary>
public sealed class GcmKeyWriteTests
{
    private const string Gcm = "aes256-gcm@openssh.com";

    [Theory]
    [MemberData(nameof(KeyWriteInteropTests.KeyTypes), MemberType = typeof(KeyWriteInteropTests))]
    public void Save_Gcm_IsAcceptedBySshKeygenAndByUs(string keyType, int bits)
    {
        using var directory = new TempDirectory();
        using SshPrivateKey key = SshPrivateKey.Generate(keyType, bits);
        key.Comment = "gcm";
        string path = directory.File("key");

        key.Save(path, "secret words", Gcm);

        Assert.Contains(Gcm, DecodedHeader(File.ReadAllText(path)), StringComparison.Ordinal);
        string output = OpenSshTool.SshKeygen("-y", "-P", "secret words", "-f", path).Stdout;
        Assert.StartsWith(key.PublicKey.ToOpenSshString(), output, StringComparison.Ordinal);
        Assert.NotEqual(0, OpenSshTool.Run("ssh-keygen", ["-y", "-P", "wrong", "-f", path], allowFailure: true).ExitCode);
        using SshPrivateKey loaded = SshPrivateKey.Load(path, "secret words");
        Assert.Equal(key.PublicKey, loaded.PublicKey);
        Assert.Equal("gcm", loaded.Comment);
    }

    [Fact]
    public void ToOpenSshPrivateKey_Gcm_WrongPassphrase_ThrowsPassphraseException()
    {
        using SshPrivateKey key = SshPrivateKey.Generate("ssh-ed25519");
        string text = key.ToOpenSshPrivateKey("right", Gcm);

        var error = Assert.Throws<SshKeyPassphraseException>(() => SshPrivateKey.Parse(text, "wrong"));
        Assert.Contains("wrong passphrase", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToOpenSshPrivateKey_UnknownCipher_ThrowsArgumentExceptionListingChoices()
    {
        using SshPrivateKey key = SshPrivateKey.Generate("ssh-ed25519");

        var error = Assert.Throws<ArgumentException>(() => key.ToOpenSshPrivateKey("pw", "3des-cbc"));
        Assert.Contains("aes256-gcm@openssh.com", error.Message, StringComparison.Ordinal);
        Assert.Equal(SshPrivateKey.OpenSshPrivateKeyCiphers, ["aes256-ctr", Gcm]);
    }

    [Fact]
    public void ToOpenSshPrivateKey_GcmWithoutPassphrase_IsUnencrypted()
    {
        using SshPrivateKey key = SshPrivateKey.Generate("ssh-ed25519");

        using SshPrivateKey loaded = SshPrivateKey.Parse(key.ToOpenSshPrivateKey(null, Gcm));

        Assert.Equal(key.PublicKey, loaded.PublicKey);
    }

    private static string DecodedHeader(string pem)
    {
        string base64 = string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)));
        return System.Text.Encoding.Latin1.GetString(Convert.FromBase64String(base64.Trim()).AsSpan(0, 64));
    }
}
