using System.Diagnostics;
using Rx.Ssh.Keys;

using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Keys;

/// <summary>RSA keys of every size users ask for, and fingerprints of generated keys as ssh-keygen prints them.</summary>
public sealed class RsaGenerationTests
{
    [Theory]
    [InlineData(2048)]
    [InlineData(3072)]
    [InlineData(4096)]
    [InlineData(8192)]
    public void Generate_Rsa_HasTheSizeAndFingerprintsSshKeygenReports(int bits)
    {
        using var directory = new TempDirectory();
        var watch = Stopwatch.StartNew();
        using SshPrivateKey key = SshPrivateKey.Generate("ssh-rsa", bits);
        TimeSpan elapsed = watch.Elapsed;
        key.Comment = "rsa" + bits;
        string path = directory.File("key");
        key.Save(path);

        string sha256 = OpenSshTool.SshKeygen("-l", "-f", path).Stdout.Trim();
        string md5 = OpenSshTool.SshKeygen("-l", "-E", "md5", "-f", path).Stdout.Trim();

        Assert.Equal($"{bits} {key.PublicKey.GetFingerprint()} rsa{bits} (RSA)", sha256);
        Assert.Equal($"{bits} {key.PublicKey.GetMd5Fingerprint()} rsa{bits} (RSA)", md5);
        Assert.Equal(bits, ((RsaPublicKey)key.PublicKey).KeySizeInBits);
        Assert.True(key.PublicKey.VerifySignature("m"u8, key.Sign("rsa-sha2-512", "m"u8)));
        Assert.True(elapsed < TimeSpan.FromMinutes(2), $"generating {bits} bits took {elapsed}");
    }

    [Theory]
    [InlineData("ssh-ed25519", "256", "(ED25519)")]
    [InlineData("ecdsa-sha2-nistp256", "256", "(ECDSA)")]
    [InlineData("ecdsa-sha2-nistp384", "384", "(ECDSA)")]
    [InlineData("ecdsa-sha2-nistp521", "521", "(ECDSA)")]
    public void Generate_OtherTypes_FingerprintsMatchSshKeygen(string keyType, string bits, string label)
    {
        using var directory = new TempDirectory();
        using SshPrivateKey key = SshPrivateKey.Generate(keyType);
        key.Comment = "k";
        string path = directory.File("key.pub");
        File.WriteAllText(path, key.PublicKey.ToOpenSshString("k") + "\n");

        Assert.Equal($"{bits} {key.PublicKey.GetFingerprint()} k {label}", OpenSshTool.SshKeygen("-l", "-f", path).Stdout.Trim());
        Assert.Equal($"{bits} {key.PublicKey.GetMd5Fingerprint()} k {label}", OpenSshTool.SshKeygen("-l", "-E", "md5", "-f", path).Stdout.Trim());
        Assert.Matches("^MD5(:[0-9a-f]{2}){16}$", key.PublicKey.GetMd5Fingerprint());
        Assert.Matches("^SHA256:[A-Za-z0-9+/]{43}$", key.PublicKey.GetFingerprint());
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(2047)]
    [InlineData(16392)]
    public void Generate_RsaSizeOutOfRange_ThrowsNamingTheRange(int bits)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SshPrivateKey.Generate("ssh-rsa", bits));

        Assert.Contains("1024 to 16384 bits", error.Message, StringComparison.Ordinal);
    }
}
