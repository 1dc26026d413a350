using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;

using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Keys.Certificates;

/// <summary>Certificates made by <c>ssh-keygen -s</c> parse and verify; ours are accepted by <c>ssh-keygen -L</c>.</summary>
public sealed class SshCertificateTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string> KeyAndCaTypes => new()
    {
        { "ed25519", "ed25519" },
        { "ecdsa:256", "ed25519" },
        { "ecdsa:384", "rsa" },
        { "ecdsa:521", "ecdsa:256" },
        { "rsa", "rsa" },
    };

    [Theory]
    [MemberData(nameof(KeyAndCaTypes))]
    public void SshKeygenCertificate_ParsesAndVerifies(string keyType, string caType)
    {
        string ca = Generate("ca", caType);
        string user = Generate("user", keyType);
        OpenSshTool.SshKeygen("-q", "-s", ca, "-I", "alice-id", "-n", "alice,bob", "-z", "42", "-V", "20200101:20400101",
            "-O", "force-command=/bin/date", "-O", "source-address=127.0.0.1/32,10.0.0.0/8", user + ".pub");

        SshCertificate cert = SshCertificate.Load(user + "-cert.pub");

        Assert.True(cert.VerifyCaSignature());
        Assert.Equal(SshPublicKey.Load(user + ".pub"), cert.Key);
        Assert.Equal(SshPublicKey.Load(ca + ".pub"), cert.SignatureKey);
        Assert.Equal(SshCertificateType.User, cert.Type);
        Assert.Equal("alice-id", cert.KeyId);
        Assert.Equal(42UL, cert.Serial);
        Assert.Equal(["alice", "bob"], cert.Principals);
        Assert.Equal(new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), cert.ValidAfter.ToUniversalTime().Date);
        Assert.Equal("/bin/date", cert.ForceCommand);
        Assert.Equal("127.0.0.1/32,10.0.0.0/8", cert.SourceAddress);
        Assert.True(cert.PermitPty);
        Assert.True(cert.PermitPortForwarding);
        Assert.Equal(cert.Key.KeyType + SshCertificate.Suffix, cert.KeyType);
        Assert.Equal(cert, Assert.IsType<SshCertificate>(SshPublicKey.Load(user + "-cert.pub")));
        cert.Validate(SshCertificateType.User, new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), "bob");
        cert.ValidateSourceAddress(System.Net.IPAddress.Parse("10.1.2.3"));
    }

    [Fact]
    public void RsaCertificate_OffersSha2CertificateAlgorithms()
    {
        string ca = Generate("ca", "ed25519");
        string user = Generate("user", "rsa");
        OpenSshTool.SshKeygen("-q", "-s", ca, "-I", "id", "-n", "alice", user + ".pub");

        SshCertificate cert = SshCertificate.Load(user + "-cert.pub");

        Assert.Equal(["rsa-sha2-512-cert-v01@openssh.com", "rsa-sha2-256-cert-v01@openssh.com"], cert.SignatureAlgorithms);
        Assert.Equal("rsa-sha2-256", SshCertificate.BaseAlgorithm("rsa-sha2-256-cert-v01@openssh.com"));
    }

    [Fact]
    public void HostCertificate_HasHostType()
    {
        string ca = Generate("ca", "ecdsa:384");
        string host = Generate("host", "ed25519");
        OpenSshTool.SshKeygen("-q", "-s", ca, "-h", "-I", "web", "-n", "web.example.com,localhost", host + ".pub");

        SshCertificate cert = SshCertificate.Load(host + "-cert.pub");

        Assert.Equal(SshCertificateType.Host, cert.Type);
        Assert.Empty(cert.Extensions);
        Assert.Equal(SshCertificate.Forever, cert.ValidBefore);
        cert.Validate(SshCertificateType.Host, DateTimeOffset.UtcNow, "localhost");
    }

    [Theory]
    [InlineData("ssh-ed25519", "ssh-ed25519")]
    [InlineData("ecdsa-sha2-nistp256", "ssh-rsa")]
    [InlineData("ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521")]
    [InlineData("ecdsa-sha2-nistp521", "ecdsa-sha2-nistp256")]
    [InlineData("ssh-rsa", "ssh-ed25519")]
    public void OurCertificate_IsAcceptedBySshKeygen(string keyType, string caType)
    {
        using SshPrivateKey ca = SshPrivateKey.Generate(caType, caType == "ssh-rsa" ? 2048 : 0);
        using SshPrivateKey user = SshPrivateKey.Generate(keyType, keyType == "ssh-rsa" ? 2048 : 0);
        var validAfter = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
        SshCertificate cert = new SshCertificateBuilder(user.PublicKey, SshCertificateType.User, "ours")
        {
            Serial = 7,
            Principals = ["alice", "root"],
            ValidAfter = validAfter,
            ValidBefore = validAfter.AddDays(30),
            CriticalOptions = new Dictionary<string, string> { ["force-command"] = "uptime", ["source-address"] = "192.0.2.0/24" },
        }.Sign(ca);
        string path = _dir.File("ours-cert.pub");
        File.WriteAllText(path, cert.ToOpenSshString("comment") + "\n");

        string listing = OpenSshTool.SshKeygen("-L", "-f", path).Stdout;

        Assert.Contains($"Type: {keyType}-cert-v01@openssh.com user certificate", listing, StringComparison.Ordinal);
        Assert.Contains("Key ID: \"ours\"", listing, StringComparison.Ordinal);
        Assert.Contains("Serial: 7", listing, StringComparison.Ordinal);
        Assert.Contains(ca.PublicKey.GetFingerprint(), listing, StringComparison.Ordinal);
        Assert.Contains("force-command uptime", listing, StringComparison.Ordinal);
        Assert.Contains("source-address 192.0.2.0/24", listing, StringComparison.Ordinal);
        Assert.Contains("permit-pty", listing, StringComparison.Ordinal);
        Assert.Contains("root", listing, StringComparison.Ordinal);
        Assert.True(SshCertificate.Load(path).VerifyCaSignature());
        Assert.Equal(cert, SshCertificate.Load(path));
    }

    [Fact]
    public void OurHostCertificate_SignedByRsaCa_ListsRsaSha512()
    {
        using SshPrivateKey ca = SshPrivateKey.Generate("ssh-rsa", 2048);
        using SshPrivateKey host = SshPrivateKey.Generate("ssh-ed25519");
        SshCertificate cert = new SshCertificateBuilder(host.PublicKey, SshCertificateType.Host, "h") { Principals = ["localhost"] }.Sign(ca);
        string path = _dir.File("host-cert.pub");
        File.WriteAllText(path, cert.ToOpenSshString() + "\n");

        string listing = OpenSshTool.SshKeygen("-L", "-f", path).Stdout;

        Assert.Contains("host certificate", listing, StringComparison.Ordinal);
        Assert.Contains("Signing CA: RSA " + ca.PublicKey.GetFingerprint() + " (using rsa-sha2-512)", listing, StringComparison.Ordinal);
        Assert.Contains("Valid: forever", listing, StringComparison.Ordinal);
    }

    private string Generate(string name, string type)
    {
        string[] parts = type.Split(':');
        string path = _dir.File(name);
        var args = new List<string> { "-q", "-N", string.Empty, "-t", parts[0], "-f", path };
        if (parts.Length > 1)
        {
            args.AddRange(["-b", parts[1]]);
        }
        else if (parts[0] == "rsa")
        {
            args.AddRange(["-b", "2048"]);
        }

        OpenSshTool.Run("ssh-keygen", args);
        return path;
    }
}
