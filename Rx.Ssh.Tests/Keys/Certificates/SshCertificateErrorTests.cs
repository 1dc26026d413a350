using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;

namespace Rx.Ssh.Tests.Keys.Certificates;

/// <summary>Each way a certificate can be wrong gives a typed error that says what to do.</summary>
public sealed class SshCertificateErrorTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly SshPrivateKey _ca = SshPrivateKey.Generate("ssh-ed25519");
    private readonly SshPrivateKey _user = SshPrivateKey.Generate("ecdsa-sha2-nistp256");

    public void Dispose()
    {
        _ca.Dispose();
        _user.Dispose();
    }

    [Fact]
    public void Truncated_ThrowsFormatException()
    {
        SshCertificate cert = Make(SshCertificateType.User);

        for (int length = 0; length < cert.Blob.Length; length += 7)
        {
            var error = Assert.Throws<SshKeyFormatException>(() => SshCertificate.FromBlob(cert.Blob[..length]));
            Assert.Contains("certificate", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void PlainKeyLine_IsNotACertificate()
    {
        var error = Assert.Throws<SshKeyFormatException>(() => SshCertificate.Parse(_user.PublicKey.ToOpenSshString()));

        Assert.Contains("not a certificate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expired_ThrowsWithExpiredProblem()
    {
        SshCertificate cert = Make(SshCertificateType.User);

        var error = Assert.Throws<SshCertificateException>(() => cert.Validate(SshCertificateType.User, Start.AddDays(2), "alice"));

        Assert.Equal(SshCertificateProblem.Expired, error.Problem);
        Assert.Contains("expired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NotYetValid_ThrowsWithNotYetValidProblem()
    {
        SshCertificate cert = Make(SshCertificateType.User);

        var error = Assert.Throws<SshCertificateException>(() => cert.Validate(SshCertificateType.User, Start.AddSeconds(-1), "alice"));

        Assert.Equal(SshCertificateProblem.NotYetValid, error.Problem);
        Assert.Contains("not valid until", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongPrincipal_NamesThePrincipals()
    {
        SshCertificate cert = Make(SshCertificateType.User);

        var error = Assert.Throws<SshCertificateException>(() => cert.Validate(SshCertificateType.User, Start.AddHours(1), "mallory"));

        Assert.Equal(SshCertificateProblem.WrongPrincipal, error.Problem);
        Assert.Contains("'mallory'", error.Message, StringComparison.Ordinal);
        Assert.Contains("alice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HostCertificateForUser_ThrowsWrongType()
    {
        SshCertificate cert = Make(SshCertificateType.Host);

        var error = Assert.Throws<SshCertificateException>(() => cert.Validate(SshCertificateType.User, Start.AddHours(1), "alice"));

        Assert.Equal(SshCertificateProblem.WrongType, error.Problem);
    }

    [Fact]
    public void TamperedCertificate_FailsSignature()
    {
        byte[] blob = Make(SshCertificateType.User).Blob.ToArray();
        blob[60] ^= 1; // inside the nonce or key: still well formed, no longer signed

        SshCertificate cert = SshCertificate.FromBlob(blob);

        Assert.False(cert.VerifyCaSignature());
        var error = Assert.Throws<SshCertificateException>(() => cert.Validate(SshCertificateType.User, Start.AddHours(1), "alice"));
        Assert.Equal(SshCertificateProblem.BadSignature, error.Problem);
    }

    [Fact]
    public void SourceAddress_OutsideList_Throws()
    {
        SshCertificate cert = new SshCertificateBuilder(_user.PublicKey, SshCertificateType.User, "src")
        {
            Principals = ["alice"],
            CriticalOptions = new Dictionary<string, string> { ["source-address"] = "10.0.0.0/8" },
        }.Sign(_ca);

        cert.ValidateSourceAddress(System.Net.IPAddress.Parse("10.9.9.9"));
        var error = Assert.Throws<SshCertificateException>(() => cert.ValidateSourceAddress(System.Net.IPAddress.Loopback));

        Assert.Equal(SshCertificateProblem.SourceAddress, error.Problem);
        Assert.Contains("10.0.0.0/8", error.Message, StringComparison.Ordinal);
    }

    private SshCertificate Make(SshCertificateType type) =>
        new SshCertificateBuilder(_user.PublicKey, type, "test-id")
        {
            Principals = ["alice"],
            ValidAfter = Start,
            ValidBefore = Start.AddDays(1),
        }.Sign(_ca);
}
