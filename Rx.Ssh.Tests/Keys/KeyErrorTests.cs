using System.Text;
using Rx.Ssh.Keys;
using Rx.Ssh.Wire;

using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Keys;

/// <summary>Every way a key file can be wrong gives a typed error with a useful message.</summary>
public sealed class KeyErrorTests : IClassFixture<SshKeygenKeys>
{
    private readonly SshKeygenKeys _keys;

    public KeyErrorTests(SshKeygenKeys keys) => _keys = keys;

    [Theory]
    [InlineData("OPENSSH")]
    [InlineData("PEM")]
    [InlineData("PKCS8")]
    public void Load_WrongPassphrase_ThrowsPassphraseException(string format)
    {
        string path = _keys.Variant("ecdsa256", format, SshKeygenKeys.Passphrase);

        var error = Assert.Throws<SshKeyPassphraseException>(() => SshPrivateKey.Load(path, "wrong passphrase"));

        Assert.Contains("wrong passphrase", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("OPENSSH")]
    [InlineData("PEM")]
    [InlineData("PKCS8")]
    public void Load_MissingPassphrase_SaysOneIsNeeded(string format)
    {
        string path = _keys.Variant("rsa2048", format, SshKeygenKeys.Passphrase);

        var error = Assert.Throws<SshKeyPassphraseException>(() => SshPrivateKey.Load(path));

        Assert.Contains("passphrase is needed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrongPassphraseForGcmKey_ThrowsPassphraseException()
    {
        string path = _keys.Variant("ed25519", "OPENSSH", SshKeygenKeys.Passphrase, "aes256-gcm@openssh.com");

        Assert.Throws<SshKeyPassphraseException>(() => SshPrivateKey.Load(path, "nope!"));
    }

    [Theory]
    [InlineData("ed25519")]
    [InlineData("rsa2048")]
    public void Load_TruncatedFile_ThrowsFormatExceptionNamingTheFile(string name)
    {
        string text = File.ReadAllText(_keys.Base(name));
        using var directory = new TempDirectory();
        string path = directory.File("truncated");
        File.WriteAllText(path, text[..(text.Length / 2)]);

        var error = Assert.Throws<SshKeyFormatException>(() => SshPrivateKey.Load(path));

        Assert.IsNotType<SshKeyPassphraseException>(error);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TruncatedBinaryWithIntactPemLines_ThrowsFormatException()
    {
        using SshPrivateKey key = SshPrivateKey.Generate("ssh-ed25519");
        string pem = key.ToOpenSshPrivateKey();
        string base64 = string.Concat(pem.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)));
        byte[] binary = Convert.FromBase64String(base64);
        string cut = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + Convert.ToBase64String(binary, 0, binary.Length - 40) + "\n-----END OPENSSH PRIVATE KEY-----\n";

        var error = Assert.Throws<SshKeyFormatException>(() => SshPrivateKey.Parse(cut));

        Assert.Contains("truncated or malformed", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("this is not a key")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\n!!!!\n-----END OPENSSH PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nMAA=\n-----END RSA PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n")]
    [InlineData("PuTTY-User-Key-File-3: ssh-ed25519\n")]
    public void Parse_Garbage_ThrowsFormatException(string text)
    {
        var error = Assert.Throws<SshKeyFormatException>(() => SshPrivateKey.Parse(text));

        Assert.IsNotType<SshKeyPassphraseException>(error);
    }

    [Fact]
    public void Load_GarbageFile_NamesTheFile()
    {
        using var directory = new TempDirectory();
        string path = directory.File("garbage");
        File.WriteAllBytes(path, [0, 1, 2, 3, 0xff, 0xfe]);

        var error = Assert.Throws<SshKeyFormatException>(() => SshPrivateKey.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DsaKeyFromSshKeygen_IsAnUnsupportedType()
    {
        using var directory = new TempDirectory();
        string path = directory.File("dsa");
        OpenSshTool.Result made = OpenSshTool.Run("ssh-keygen", ["-q", "-t", "dsa", "-N", string.Empty, "-f", path], allowFailure: true);
        if (made.ExitCode != 0)
        {
            return; // This OpenSSH no longer makes DSA keys; the crafted-type test below covers the path.
        }

        var error = Assert.Throws<SshKeyFormatException>(() => SshPrivateKey.Load(path));

        Assert.Contains("unsupported key type 'ssh-dss'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OpenSshKeyOfUnknownType_IsAnUnsupportedType()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new SshWriter(buffer);
        writer.WriteRaw("openssh-key-v1\0"u8);
        writer.WriteString("none");
        writer.WriteString("none");
        writer.WriteString(ReadOnlySpan<byte>.Empty);
        writer.WriteUInt32(1);
        writer.WriteString(Blob("ssh-foo", [1, 2, 3]));
        var section = new System.Buffers.ArrayBufferWriter<byte>();
        var sectionWriter = new SshWriter(section);
        sectionWriter.WriteUInt32(7);
        sectionWriter.WriteUInt32(7);
        sectionWriter.WriteString("ssh-foo");
        sectionWriter.WriteString([1, 2, 3]);
        sectionWriter.WriteString("comment");
        for (byte pad = 1; section.WrittenCount % 8 != 0; pad++)
        {
            sectionWriter.WriteByte(pad);
        }
        writer.WriteString(section.WrittenSpan);
        string text = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + Convert.ToBase64String(buffer.WrittenSpan) + "\n-----END OPENSSH PRIVATE KEY-----\n";

        var error = Assert.Throws<SshKeyFormatException>(() => SshPrivateKey.Parse(text));

        Assert.Contains("unsupported key type 'ssh-foo'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PublicKeyFromBlob_UnknownTypeOrGarbage_ThrowsFormatException()
    {
        Assert.Contains("ssh-foo", Assert.Throws<SshKeyFormatException>(() => SshPublicKey.FromBlob(Blob("ssh-foo", [1]))).Message, StringComparison.Ordinal);
        Assert.Throws<SshKeyFormatException>(() => SshPublicKey.FromBlob([0, 0, 0, 99, 1]));
        Assert.Throws<SshKeyFormatException>(() => SshPublicKey.FromBlob([]));
        Assert.Throws<SshKeyFormatException>(() => SshPublicKey.FromBlob(Blob("ssh-ed25519", new byte[31])));
        Assert.Throws<SshKeyFormatException>(() => SshPublicKey.Parse("ssh-ed25519"));
        Assert.Throws<SshKeyFormatException>(() => SshPublicKey.Parse("ssh-ed25519 @@@@"));
    }

    [Fact]
    public void PublicKeyFromBlob_TrailingBytesOrPointOffCurve_ThrowsFormatException()
    {
        using SshPrivateKey key = SshPrivateKey.Generate("ecdsa-sha2-nistp256");
        byte[] blob = key.PublicKey.Blob.ToArray();
        byte[] trailing = [.. blob, 0];
        byte[] offCurve = (byte[])blob.Clone();
        offCurve[^1] ^= 1;

        Assert.Throws<SshKeyFormatException>(() => SshPublicKey.FromBlob(trailing));
        Assert.Throws<SshKeyFormatException>(() => SshPublicKey.FromBlob(offCurve));
        Assert.Equal(key.PublicKey, SshPublicKey.FromBlob(blob));
    }

    [Fact]
    public void PublicKeyParse_TypeDisagreesWithBlob_ThrowsFormatException()
    {
        using SshPrivateKey key = SshPrivateKey.Generate("ssh-ed25519");
        string line = "ssh-rsa " + Convert.ToBase64String(key.PublicKey.Blob.Span);

        Assert.Throws<SshKeyFormatException>(() => SshPublicKey.Parse(line));
    }

    private static byte[] Blob(string type, byte[] field)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new SshWriter(buffer);
        writer.WriteString(Encoding.ASCII.GetBytes(type));
        writer.WriteString(field);
        return buffer.WrittenSpan.ToArray();
    }
}
