using Rx.Ssh.Keys;

using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Keys;

/// <summary>Keys we generate and write, read back by ssh-keygen and by us.</summary>
public sealed class KeyWriteInteropTests
{
    public static TheoryData<string, int> KeyTypes() => new()
    {
        { "ssh-ed25519", 0 },
        { "ecdsa-sha2-nistp256", 0 },
        { "ecdsa-sha2-nistp384", 0 },
        { "ecdsa-sha2-nistp521", 521 },
        { "ssh-rsa", 2048 },
    };

    [Theory]
    [MemberData(nameof(KeyTypes))]
    public void Save_GeneratedKey_IsAcceptedBySshKeygen(string keyType, int bits)
    {
        using var directory = new TempDirectory();
        using SshPrivateKey key = SshPrivateKey.Generate(keyType, bits);
        key.Comment = "made by Rx.Ssh";
        string plain = directory.File("plain");
        string encrypted = directory.File("encrypted");

        key.Save(plain);
        key.Save(encrypted, SshKeygenKeys.Passphrase);

        string expected = key.PublicKey.ToOpenSshString();
        Assert.Equal(expected, FirstTwoFields(OpenSshTool.SshKeygen("-y", "-f", plain).Stdout));
        Assert.Equal(expected, FirstTwoFields(OpenSshTool.SshKeygen("-y", "-P", SshKeygenKeys.Passphrase, "-f", encrypted).Stdout));
        OpenSshTool.Result wrong = OpenSshTool.Run("ssh-keygen", ["-y", "-P", "not it", "-f", encrypted], allowFailure: true);
        Assert.NotEqual(0, wrong.ExitCode);

        // ssh-keygen reports the comment we stored.
        Assert.Contains("made by Rx.Ssh", OpenSshTool.SshKeygen("-l", "-f", plain).Stdout, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(plain));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(encrypted));
        }
    }

    [Theory]
    [MemberData(nameof(KeyTypes))]
    public void ToOpenSshPrivateKey_RoundTripsThroughParse(string keyType, int bits)
    {
        using SshPrivateKey key = SshPrivateKey.Generate(keyType, bits);
        key.Comment = "round trip";

        using SshPrivateKey plain = SshPrivateKey.Parse(key.ToOpenSshPrivateKey());
        using SshPrivateKey encrypted = SshPrivateKey.Parse(key.ToOpenSshPrivateKey("pw"), "pw");

        Assert.Equal(key.PublicKey, plain.PublicKey);
        Assert.Equal(key.PublicKey, encrypted.PublicKey);
        Assert.Equal("round trip", encrypted.Comment);
        Assert.Equal(keyType, encrypted.KeyType);
        byte[] signature = encrypted.Sign(encrypted.SignatureAlgorithms[0], "x"u8);
        Assert.True(key.PublicKey.VerifySignature("x"u8, signature));
    }

    [Fact]
    public void Save_ReplacingAReadableFile_TightensItsMode()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var directory = new TempDirectory();
        string path = directory.File("key");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        using SshPrivateKey key = SshPrivateKey.Generate("ssh-ed25519");

        key.Save(path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        using SshPrivateKey loaded = SshPrivateKey.Load(path);
        Assert.Equal(key.PublicKey, loaded.PublicKey);
    }

    [Fact]
    public void Generate_RsaWithoutBits_Makes3072BitKey()
    {
        using SshPrivateKey key = SshPrivateKey.Generate("ssh-rsa");

        Assert.Equal(["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"], key.SignatureAlgorithms);
        // e = 65537 (3 bytes) + n (384 bytes + sign byte) + type: blob length pins the modulus size.
        Assert.Equal(4 + 7 + 4 + 3 + 4 + 385, key.PublicKey.Blob.Length);
    }

    [Fact]
    public void Generate_UnknownTypeOrBadSize_Throws()
    {
        Assert.Throws<ArgumentException>(() => SshPrivateKey.Generate("ssh-dss"));
        Assert.Throws<ArgumentOutOfRangeException>(() => SshPrivateKey.Generate("ssh-rsa", 512));
        Assert.Throws<ArgumentOutOfRangeException>(() => SshPrivateKey.Generate("ecdsa-sha2-nistp256", 384));
    }

    private static string FirstTwoFields(string line)
    {
        string[] parts = line.Trim().Split(' ');
        return parts[0] + " " + parts[1];
    }
}
