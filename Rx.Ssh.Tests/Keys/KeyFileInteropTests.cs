using Rx.Ssh.Keys;

using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Keys;

/// <summary>Private keys written by ssh-keygen, in every format it offers, read by us.</summary>
public sealed class KeyFileInteropTests : IClassFixture<SshKeygenKeys>
{
    private readonly SshKeygenKeys _keys;

    public KeyFileInteropTests(SshKeygenKeys keys) => _keys = keys;

    public static TheoryData<string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, bool>();
        foreach ((string name, _, _) in SshKeygenKeys.Types)
        {
            foreach (string format in new[] { "OPENSSH", "PEM", "PKCS8" })
            {
                data.Add(name, format, false);
                data.Add(name, format, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Load_SshKeygenKey_MatchesOpenSshPublicKeyAndFingerprint(string name, string format, bool encrypted)
    {
        string? passphrase = encrypted ? SshKeygenKeys.Passphrase : null;
        string path = _keys.Variant(name, format, passphrase);

        using SshPrivateKey key = SshPrivateKey.Load(path, passphrase);

        // ssh-keygen -y derives the public key from the (plain) base file.
        string expectedLine = OpenSshTool.SshKeygen("-y", "-f", _keys.Base(name)).Stdout.Trim();
        SshPublicKey expected = SshPublicKey.Parse(expectedLine);
        Assert.Equal(expected.Blob.ToArray(), key.PublicKey.Blob.ToArray());
        Assert.Equal(expected, key.PublicKey);

        string fingerprintLine = OpenSshTool.SshKeygen("-l", "-E", "sha256", "-f", _keys.Base(name)).Stdout;
        Assert.Contains(" " + key.PublicKey.GetFingerprint() + " ", fingerprintLine, StringComparison.Ordinal);
        string md5Line = OpenSshTool.SshKeygen("-l", "-E", "md5", "-f", _keys.Base(name)).Stdout;
        Assert.Contains(" " + key.PublicKey.GetMd5Fingerprint() + " ", md5Line, StringComparison.Ordinal);

        if (format == "OPENSSH")
        {
            Assert.Equal("test-" + name, key.Comment);
        }

        // Sign with the loaded key, verify with the key parsed from ssh-keygen's output.
        byte[] data = "data to sign"u8.ToArray();
        foreach (string algorithm in key.SignatureAlgorithms)
        {
            byte[] signature = key.Sign(algorithm, data);
            Assert.True(expected.VerifySignature(data, signature), algorithm);
            Assert.False(expected.VerifySignature("other data"u8, signature), algorithm);
        }
    }

    [Theory]
    [InlineData("aes128-ctr")]
    [InlineData("aes192-ctr")]
    [InlineData("aes256-ctr")]
    [InlineData("aes128-cbc")]
    [InlineData("aes256-cbc")]
    [InlineData("aes128-gcm@openssh.com")]
    [InlineData("aes256-gcm@openssh.com")]
    public void Load_OpenSshKeyEncryptedWithEachCipher_Decrypts(string cipher)
    {
        string path = _keys.Variant("ed25519", "OPENSSH", SshKeygenKeys.Passphrase, cipher);
        Assert.Contains(cipher, DecodedHeader(path), StringComparison.Ordinal);

        using SshPrivateKey key = SshPrivateKey.Load(path, SshKeygenKeys.Passphrase);

        Assert.Equal(SshPublicKey.Load(_keys.Base("ed25519") + ".pub"), key.PublicKey);
    }

    [Fact]
    public void PublicKeyLoad_ReadsPubFileWithComment()
    {
        string pub = _keys.Base("ecdsa384") + ".pub";

        SshPublicKey key = SshPublicKey.Load(pub);
        SshPublicKey.Parse(File.ReadAllText(pub), out string comment);

        Assert.Equal("ecdsa-sha2-nistp384", key.KeyType);
        Assert.Equal("test-ecdsa384", comment);
        Assert.Equal(File.ReadAllText(pub).Trim(), key.ToOpenSshString(comment));
    }

    [Fact]
    public void Load_Ed25519Pkcs8FromOpenSsl_PlainAndEncrypted()
    {
        using var directory = new TempDirectory();
        string plain = directory.File("ed.pem");
        string encrypted = directory.File("ed-enc.pem");
        OpenSshTool.Run("openssl", ["genpkey", "-algorithm", "ed25519", "-out", plain]);
        OpenSshTool.Run("openssl", ["pkcs8", "-topk8", "-in", plain, "-out", encrypted, "-v2", "aes-256-cbc", "-passout", "pass:" + SshKeygenKeys.Passphrase]);
        string publicDer = directory.File("ed.pub.der");
        OpenSshTool.Run("openssl", ["pkey", "-in", plain, "-pubout", "-outform", "DER", "-out", publicDer]);
        byte[] raw = File.ReadAllBytes(publicDer)[^32..];

        using SshPrivateKey fromPlain = SshPrivateKey.Load(plain);
        using SshPrivateKey fromEncrypted = SshPrivateKey.Load(encrypted, SshKeygenKeys.Passphrase);

        Assert.Equal(raw, fromPlain.PublicKey.Blob.Span[^32..].ToArray());
        Assert.Equal(fromPlain.PublicKey, fromEncrypted.PublicKey);
        Assert.Throws<SshKeyPassphraseException>(() => SshPrivateKey.Load(encrypted, "wrong"));
    }

    private static string DecodedHeader(string path)
    {
        string[] lines = File.ReadAllLines(path);
        byte[] head = Convert.FromBase64String(lines[1][..68]); // 70-character lines; 68 is a whole number of base64 quanta
        return System.Text.Encoding.ASCII.GetString(head);
    }
}
