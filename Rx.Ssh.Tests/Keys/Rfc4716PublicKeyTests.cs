using Rx.Ssh.Keys;

using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Keys;

/// <summary>RFC 4716 public keys, both ways with <c>ssh-keygen -e</c> / <c>-i -m RFC4716</c>.</summary>
public sealed class Rfc4716PublicKeyTests
{
    [Theory]
    [MemberData(nameof(KeyWriteInteropTests.KeyTypes), MemberType = typeof(KeyWriteInteropTests))]
    public void Load_WhatSshKeygenExports_IsTheSameKey(string keyType, int bits)
    {
        using var directory = new TempDirectory();
        using SshPrivateKey key = SshPrivateKey.Generate(keyType, bits);
        string pub = directory.File("key.pub");
        File.WriteAllText(pub, key.PublicKey.ToOpenSshString("c") + "\n");
        string exported = directory.File("key.rfc");
        File.WriteAllText(exported, OpenSshTool.SshKeygen("-e", "-m", "RFC4716", "-f", pub).Stdout);

        SshPublicKey loaded = SshPublicKey.Load(exported);
        SshPublicKey parsed = SshPublicKey.Parse(File.ReadAllText(exported), out string comment);

        Assert.Equal(key.PublicKey, loaded);
        Assert.Equal(key.PublicKey, parsed);
        Assert.Contains("converted by", comment, StringComparison.Ordinal);
        Assert.DoesNotContain("\"", comment, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(KeyWriteInteropTests.KeyTypes), MemberType = typeof(KeyWriteInteropTests))]
    public void ToRfc4716String_IsImportedBySshKeygen(string keyType, int bits)
    {
        using var directory = new TempDirectory();
        using SshPrivateKey key = SshPrivateKey.Generate(keyType, bits);
        string path = directory.File("key.rfc");
        string text = key.PublicKey.ToRfc4716String("a comment that is long enough to need a continuation line in the RFC 4716 header");
        File.WriteAllText(path, text);

        string imported = OpenSshTool.SshKeygen("-i", "-m", "RFC4716", "-f", path).Stdout.Trim();

        Assert.Equal(key.PublicKey.ToOpenSshString(), imported);
        Assert.All(text.Split('\n'), line => Assert.True(line.Length <= 72, line));
        Assert.StartsWith("---- BEGIN SSH2 PUBLIC KEY ----\nComment: \"a comment", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ContinuedHeadersAndOtherTags_JoinsTheCommentAndSkipsTheRest()
    {
        using SshPrivateKey key = SshPrivateKey.Generate("ssh-ed25519");
        string base64 = Convert.ToBase64String(key.PublicKey.Blob.Span);
        string text =
            "---- BEGIN SSH2 PUBLIC KEY ----\r\n" +
            "x-private-tag: something\\\r\n" +
            " else\r\n" +
            "Comment: \"first half \\\r\n" +
            "second half\"\r\n" +
            base64[..20] + "\r\n" + base64[20..] + "\r\n" +
            "---- END SSH2 PUBLIC KEY ----\r\n";

        SshPublicKey parsed = SshPublicKey.Parse(text, out string comment);

        Assert.Equal(key.PublicKey, parsed);
        Assert.Equal("first half second half", comment);
    }

    [Fact]
    public void RoundTrip_LongUnicodeComment_IsKept()
    {
        using SshPrivateKey key = SshPrivateKey.Generate("ecdsa-sha2-nistp256");
        string comment = string.Concat(Enumerable.Repeat("ключ 🔑 ", 20));

        string text = key.PublicKey.ToRfc4716String(comment);

        Assert.Equal(key.PublicKey, SshPublicKey.Parse(text, out string parsed));
        Assert.Equal(comment, parsed);
        Assert.All(text.Split('\n'), line => Assert.True(System.Text.Encoding.UTF8.GetByteCount(line) <= 72, line));
    }

    [Theory]
    [InlineData("---- BEGIN SSH2 PUBLIC KEY ----\nComment: x\nAAAAC3NzaC1lZDI1NTE5\n", "no '---- END SSH2 PUBLIC KEY ----' line")]
    [InlineData("---- BEGIN SSH2 PUBLIC KEY ----\nComment: x\n---- END SSH2 PUBLIC KEY ----\n", "no key data")]
    [InlineData("---- BEGIN SSH2 PUBLIC KEY ----\n!!!notbase64!!!\n---- END SSH2 PUBLIC KEY ----\n", "not valid base64")]
    [InlineData("---- BEGIN SSH2 PUBLIC KEY ----\nComment: x\\", "continued header")]
    [InlineData("---- BEGIN SSH2 PUBLIC KEY ----\nbad tag: x\nAAAA\n---- END SSH2 PUBLIC KEY ----\n", "invalid header tag")]
    [InlineData("---- BEGIN SSH2 PUBLIC KEY ----\nAAAAB3NzaC1yc2E=\n---- END SSH2 PUBLIC KEY ----\n", "malformed public key blob")]
    public void Parse_Malformed_ThrowsFormatExceptionSayingWhy(string text, string expected)
    {
        var error = Assert.Throws<SshKeyFormatException>(() => SshPublicKey.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TruncatedFile_NamesTheFile()
    {
        using var directory = new TempDirectory();
        using SshPrivateKey key = SshPrivateKey.Generate("ssh-ed25519");
        string path = directory.File("cut.rfc");
        string text = key.PublicKey.ToRfc4716String("c");
        File.WriteAllText(path, text[..(text.Length / 2)]);

        var error = Assert.Throws<SshKeyFormatException>(() => SshPublicKey.Load(path));

        Assert.StartsWith(path + ":", error.Message, StringComparison.Ordinal);
    }
}
