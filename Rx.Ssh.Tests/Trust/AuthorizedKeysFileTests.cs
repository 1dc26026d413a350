using System.Net;
using Rx.Ssh.Trust;

using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Trust;

public class AuthorizedKeysFileTests
{
    private static readonly byte[] KeyA = TrustTestKeys.Ed25519(1);
    private static readonly byte[] KeyB = TrustTestKeys.Ed25519(2);
    private static readonly string LineA = TrustTestKeys.Line(KeyA);

    private static AuthorizedKeyOptions Options(string options)
    {
        AuthorizedKeysFile file = AuthorizedKeysFile.Parse($"{options} {LineA} c");
        Assert.Empty(file.Warnings);
        AuthorizedKeyEntry entry = Assert.Single(file.Entries);
        Assert.Equal("c", entry.Comment);
        return entry.Options;
    }

    [Fact]
    public void PlainLineHasNoOptions()
    {
        AuthorizedKeysFile file = AuthorizedKeysFile.Parse($"{LineA} user@host with spaces\n");
        AuthorizedKeyEntry entry = Assert.Single(file.Entries);
        Assert.Same(AuthorizedKeyOptions.None, entry.Options);
        Assert.Equal("user@host with spaces", entry.Comment);
        Assert.True(entry.Options.PermitPty);
        Assert.True(entry.MatchesSource(null, IPAddress.Loopback));
    }

    [Fact]
    public void QuotedValuesWithEscapedQuotesAndBlanks()
    {
        AuthorizedKeyOptions o = Options("command=\"echo \\\"hi, there\\\" \\\\n done\",environment=\"A=1 2\",environment=\"B_2=x=y\",environment=\"A=ignored\"");
        Assert.Equal("echo \"hi, there\" \\\\n done", o.Command);
        Assert.Equal([new KeyValuePair<string, string>("A", "1 2"), new KeyValuePair<string, string>("B_2", "x=y")], o.Environment);
    }

    [Fact]
    public void FlagsAreCaseInsensitiveAndNegatable()
    {
        AuthorizedKeyOptions o = Options("no-pty,No-Port-Forwarding,no-agent-forwarding,no-X11-forwarding,no-user-rc");
        Assert.False(o.PermitPty);
        Assert.False(o.PermitPortForwarding);
        Assert.False(o.PermitAgentForwarding);
        Assert.False(o.PermitX11Forwarding);
        Assert.False(o.PermitUserRc);
        Assert.False(o.Restrict);
    }

    [Fact]
    public void RestrictThenReEnable()
    {
        AuthorizedKeyOptions o = Options("restrict,pty,port-forwarding");
        Assert.True(o.Restrict);
        Assert.True(o.PermitPty);
        Assert.True(o.PermitPortForwarding);
        Assert.False(o.PermitAgentForwarding);
        Assert.False(o.PermitX11Forwarding);
        Assert.False(o.PermitUserRc);

        // Order matters: restrict after pty turns it off again.
        Assert.False(Options("pty,restrict").PermitPty);
    }

    [Fact]
    public void ForwardingPermissions()
    {
        AuthorizedKeyOptions o = Options("permitopen=\"db.internal:5432\",permitopen=\"[2001:db8::1]:*\",permitlisten=\"8080\",permitlisten=\"localhost:9000\"");
        Assert.Equal([new ForwardPermission("db.internal", 5432), new ForwardPermission("2001:db8::1", null)], o.PermitOpen);
        Assert.Equal([new ForwardPermission(null, 8080), new ForwardPermission("localhost", 9000)], o.PermitListen);
        Assert.True(o.PermitOpen[0].Allows("DB.internal", 5432));
        Assert.False(o.PermitOpen[0].Allows("db.internal", 5433));
        Assert.True(o.PermitOpen[1].Allows("2001:db8::1", 1));
        Assert.Equal("[2001:db8::1]:*", o.PermitOpen[1].ToString());
    }

    [Fact]
    public void CertificateAuthorityPrincipalsTunnelAndFidoFlags()
    {
        AuthorizedKeyOptions o = Options("cert-authority,principals=\"alice, bob\",tunnel=\"3\",no-touch-required,verify-required");
        Assert.True(o.CertificateAuthority);
        Assert.Equal(["alice", "bob"], o.Principals);
        Assert.Equal(3, o.Tunnel);
        Assert.True(o.NoTouchRequired);
        Assert.True(o.VerifyRequired);
    }

    [Theory]
    [InlineData("20300102", 2030, 1, 2, 0, 0, 0)]
    [InlineData("203001021304", 2030, 1, 2, 13, 4, 0)]
    [InlineData("20300102130405", 2030, 1, 2, 13, 4, 5)]
    public void ExpiryTimeInUtcAndLocalTime(string value, int y, int mo, int d, int h, int mi, int s)
    {
        Assert.Equal(new DateTimeOffset(y, mo, d, h, mi, s, TimeSpan.Zero), Options($"expiry-time=\"{value}Z\"").ExpiryTime);
        var local = new DateTime(y, mo, d, h, mi, s, DateTimeKind.Local);
        Assert.Equal(new DateTimeOffset(local), Options($"expiry-time=\"{value}\"").ExpiryTime);
    }

    [Fact]
    public void EarliestExpiryWinsAndIsExpiredIsStrict()
    {
        AuthorizedKeyOptions o = Options("expiry-time=\"20300101Z\",expiry-time=\"20250101Z\",expiry-time=\"20350101Z\"");
        var expiry = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(expiry, o.ExpiryTime);
        Assert.False(o.IsExpired(expiry));
        Assert.True(o.IsExpired(expiry.AddSeconds(1)));
        Assert.False(AuthorizedKeyOptions.None.IsExpired(DateTimeOffset.MaxValue));
    }

    [Theory]
    [InlineData("from=\"10.0.0.0/8,!10.1.0.0/16\"", "10.2.3.4", null, true)]
    [InlineData("from=\"10.0.0.0/8,!10.1.0.0/16\"", "10.1.3.4", null, false)]
    [InlineData("from=\"10.0.0.0/8,!10.1.0.0/16\"", "11.0.0.1", null, false)]
    [InlineData("from=\"!10.1.0.0/16,10.0.0.0/8\"", "10.1.3.4", null, false)]
    [InlineData("from=\"192.0.2.0/25\"", "192.0.2.127", null, true)]
    [InlineData("from=\"192.0.2.0/25\"", "192.0.2.128", null, false)]
    [InlineData("from=\"192.0.2.7\"", "192.0.2.7", null, true)]
    [InlineData("from=\"192.0.2.7\"", "::ffff:192.0.2.7", null, true)]
    [InlineData("from=\"192.0.2.*\"", "192.0.2.200", null, true)]
    [InlineData("from=\"2001:db8::/32\"", "2001:db8:1::5", null, true)]
    [InlineData("from=\"2001:db8::/32\"", "2001:db9::5", null, false)]
    [InlineData("from=\"0.0.0.0/0\"", "203.0.113.9", null, true)]
    [InlineData("from=\"*.example.com\"", "203.0.113.9", "web.EXAMPLE.com", true)]
    [InlineData("from=\"*.example.com\"", "203.0.113.9", "web.example.org", false)]
    [InlineData("from=\"*.example.com,!bad.example.com\"", "203.0.113.9", "bad.example.com", false)]
    [InlineData("from=\"*.example.com,!203.0.113.9\"", "203.0.113.9", "web.example.com", false)]
    [InlineData("from=\"*.example.com,203.0.113.0/24\"", "203.0.113.9", null, true)]
    [InlineData("from=\"203.0.113.*\"", "203.0.113.9", null, true)]
    [InlineData("from=\"192.0.2.1/24\"", "192.0.2.1", null, false)] // host bits set: invalid, rejects all
    [InlineData("from=\"192.0.2.0/33\"", "192.0.2.1", null, false)]
    [InlineData("from=\"*.example.com,192.0.2.1/24\"", "203.0.113.9", "web.example.com", false)]
    public void FromPatterns(string option, string address, string? hostName, bool expected)
        => Assert.Equal(expected, Options(option).MatchesSource(hostName, IPAddress.Parse(address)));

    [Fact]
    public void FindMatchesKeysButNotCertificateAuthorities()
    {
        string text = $"{LineA} first\nno-pty {LineA} second\ncert-authority {TrustTestKeys.Line(KeyB)} ca\n{TrustTestKeys.Line(KeyB)} plain-b\n";
        AuthorizedKeysFile file = AuthorizedKeysFile.Parse(text);
        Assert.Equal(["first", "second"], file.Find("ssh-ed25519", KeyA).Select(e => e.Comment));
        Assert.Equal(["plain-b"], file.Find("ssh-ed25519", KeyB).Select(e => e.Comment));
        Assert.Empty(file.Find("ssh-rsa", KeyA));
        Assert.Empty(file.Find("ssh-ed25519", TrustTestKeys.Ed25519(9)));
        AuthorizedKeyEntry ca = Assert.Single(file.FindCertificateAuthorities());
        Assert.Equal("ca", ca.Comment);
        Assert.Equal(3, ca.LineNumber);
    }

    [Fact]
    public void MalformedLinesAreSkippedWithWarnings()
    {
        string text = string.Join('\n',
            "# comment",
            $"{LineA} ok",
            $"bogus-option {LineA}",
            $"command=\"unterminated {LineA}",
            $"command=unquoted {LineA}",
            $"command=\"a\",command=\"b\" {LineA}",
            $"environment=\"1BAD-NAME=x\" {LineA}",
            $"environment=\"novalue\" {LineA}",
            $"permitopen=\"nohostport\" {LineA}",
            $"permitopen=\"host:99999\" {LineA}",
            $"expiry-time=\"2030013\" {LineA}",
            $"expiry-time=\"20301301\" {LineA}",
            $"no-pty, {LineA}",
            "ssh-ed25519 !!!",
            "no-pty",
            $"ssh-rsa {Convert.ToBase64String(KeyA)}",
            $"  restrict {LineA} ok2  ");
        AuthorizedKeysFile file = AuthorizedKeysFile.Parse(text, "ak");
        Assert.Equal([2, 17], file.Entries.Select(e => e.LineNumber));
        Assert.Equal(Enumerable.Range(3, 14), file.Warnings.Select(w => w.LineNumber));
        Assert.All(file.Warnings, w => Assert.Equal("ak", w.Path));
        Assert.Contains("unknown option", file.Warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("base64", file.Warnings[11].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFileIsEmpty()
    {
        AuthorizedKeysFile file = AuthorizedKeysFile.Load(Path.Combine(Path.GetTempPath(), "missing-" + Guid.NewGuid(), "authorized_keys"));
        Assert.Empty(file.Entries);
        Assert.Empty(file.Warnings);
    }

    [Fact]
    public void FingerprintsAgreeWithSshKeygen()
    {
        using var temp = new TempDirectory();
        (string type, byte[] blob) = TrustTestKeys.GenerateEd25519(temp.Path, "user");
        string path = temp.File("authorized_keys");
        File.WriteAllText(path, $"from=\"10.0.0.0/8\",command=\"echo \\\"x y\\\"\",no-pty {type} {Convert.ToBase64String(blob)} user\n");

        (int code, string output) = TrustTestKeys.Run("ssh-keygen", "-l", "-E", "sha256", "-f", path);
        Assert.Equal(0, code);

        AuthorizedKeysFile file = AuthorizedKeysFile.Load(path);
        AuthorizedKeyEntry entry = Assert.Single(file.Entries);
        Assert.Contains(entry.Fingerprint, output, StringComparison.Ordinal);
        Assert.Equal("echo \"x y\"", entry.Options.Command);
        Assert.Single(file.Find(type, blob));
    }
}
