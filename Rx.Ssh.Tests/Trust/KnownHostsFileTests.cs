using System.Net;
using Rx.Ssh.Keys;
using Rx.Ssh.Trust;

using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Trust;

public class KnownHostsFileTests
{
    private static readonly byte[] KeyA = TrustTestKeys.Ed25519(1);
    private static readonly byte[] KeyB = TrustTestKeys.Ed25519(2);
    private static readonly byte[] EcdsaKey = TrustTestKeys.Ecdsa("nistp256", 3);

    private static HostKeyStatus Status(string text, string host, int port, byte[] blob, IPAddress? address = null)
        => KnownHostsFile.Parse(text).Check(host, port, TrustTestKeys.TypeOf(blob), blob, address).Status;

    [Fact]
    public void PlainHostIsTrustedOnPort22Only()
    {
        string text = $"server.example.com {TrustTestKeys.Line(KeyA)} comment here\n";
        Assert.Equal(HostKeyStatus.Trusted, Status(text, "server.example.com", 22, KeyA));
        Assert.Equal(HostKeyStatus.Trusted, Status(text, "SERVER.Example.com", 22, KeyA));
        Assert.Equal(HostKeyStatus.Unknown, Status(text, "server.example.com", 2222, KeyA));
        Assert.Equal(HostKeyStatus.Unknown, Status(text, "other.example.com", 22, KeyA));
    }

    [Fact]
    public void BracketedPortFormMatchesThatPortOnly()
    {
        string text = $"[server]:2222 {TrustTestKeys.Line(KeyA)}\n";
        Assert.Equal(HostKeyStatus.Trusted, Status(text, "server", 2222, KeyA));
        Assert.Equal(HostKeyStatus.Unknown, Status(text, "server", 22, KeyA));
        Assert.Equal(HostKeyStatus.Unknown, Status(text, "server", 2200, KeyA));
    }

    [Fact]
    public void ExplicitPort22InBracketsIsNotTheLookupName()
    {
        // OpenSSH looks port 22 up as the bare name, so "[h]:22" never matches.
        string text = $"[server]:22 {TrustTestKeys.Line(KeyA)}\n";
        Assert.Equal(HostKeyStatus.Unknown, Status(text, "server", 22, KeyA));
    }

    [Fact]
    public void CommaListsWildcardsAndNegation()
    {
        string text = $"alpha,*.example.com,!bad.example.com,host?.lan {TrustTestKeys.Line(KeyA)}\n";
        Assert.Equal(HostKeyStatus.Trusted, Status(text, "alpha", 22, KeyA));
        Assert.Equal(HostKeyStatus.Trusted, Status(text, "www.example.com", 22, KeyA));
        Assert.Equal(HostKeyStatus.Trusted, Status(text, "host7.lan", 22, KeyA));
        Assert.Equal(HostKeyStatus.Unknown, Status(text, "host77.lan", 22, KeyA));
        Assert.Equal(HostKeyStatus.Unknown, Status(text, "bad.example.com", 22, KeyA));
    }

    [Fact]
    public void NegatedMatchMeansEntryDoesNotApplyEvenForChangedDetection()
    {
        string text = $"*.example.com,!bad.example.com {TrustTestKeys.Line(KeyA)}\n";
        // The entry does not apply to bad.example.com, so a different key is unknown, not changed.
        Assert.Equal(HostKeyStatus.Unknown, Status(text, "bad.example.com", 22, KeyB));
        Assert.Equal(HostKeyStatus.Changed, Status(text, "good.example.com", 22, KeyB));
    }

    [Fact]
    public void WildcardsMatchBracketedNames()
    {
        string text = $"[*.example.com]:2222 {TrustTestKeys.Line(KeyA)}\n";
        Assert.Equal(HostKeyStatus.Trusted, Status(text, "a.example.com", 2222, KeyA));
        Assert.Equal(HostKeyStatus.Unknown, Status(text, "a.example.com", 22, KeyA));
    }

    [Fact]
    public void ChangedReportsKnownFingerprints()
    {
        string text = $"server {TrustTestKeys.Line(KeyA)}\nserver {TrustTestKeys.Line(EcdsaKey)}\n";
        HostKeyCheckResult result = KnownHostsFile.Parse(text).Check("server", 22, "ssh-ed25519", KeyB);
        Assert.Equal(HostKeyStatus.Changed, result.Status);
        Assert.Equal([KeyFingerprint.Sha256(KeyA)], result.KnownFingerprints);
        Assert.True(result.OtherTypesKnown);
    }

    [Fact]
    public void KeysOfOtherTypesOnlyMakeTheKeyUnknownWithFlag()
    {
        string text = $"server {TrustTestKeys.Line(EcdsaKey)}\n";
        HostKeyCheckResult result = KnownHostsFile.Parse(text).Check("server", 22, "ssh-ed25519", KeyA);
        Assert.Equal(HostKeyStatus.Unknown, result.Status);
        Assert.True(result.OtherTypesKnown);
        Assert.Equal([KeyFingerprint.Sha256(EcdsaKey)], result.KnownFingerprints);

        HostKeyCheckResult nothing = KnownHostsFile.Parse(text).Check("elsewhere", 22, "ssh-ed25519", KeyA);
        Assert.Equal(HostKeyStatus.Unknown, nothing.Status);
        Assert.False(nothing.OtherTypesKnown);
        Assert.Empty(nothing.Entries);
    }

    [Fact]
    public void EcdsaCurvesAreOneFamilyLikeOpenSsh()
    {
        byte[] p384 = TrustTestKeys.Ecdsa("nistp384", 9);
        string text = $"server {TrustTestKeys.Line(EcdsaKey)}\n";
        Assert.Equal(HostKeyStatus.Changed, Status(text, "server", 22, p384));
    }

    [Fact]
    public void RevokedTakesPrecedenceOverTrustedEntry()
    {
        string text = $"server {TrustTestKeys.Line(KeyA)}\n@revoked * {TrustTestKeys.Line(KeyA)}\n";
        HostKeyCheckResult result = KnownHostsFile.Parse(text).Check("server", 22, "ssh-ed25519", KeyA);
        Assert.Equal(HostKeyStatus.Revoked, result.Status);
        Assert.Equal(KnownHostsMarker.Revoked, Assert.Single(result.Entries).Marker);

        // A revoked entry for other hosts only does not touch this host.
        string scoped = $"server {TrustTestKeys.Line(KeyA)}\n@revoked other {TrustTestKeys.Line(KeyA)}\n";
        Assert.Equal(HostKeyStatus.Trusted, Status(scoped, "server", 22, KeyA));
    }

    [Fact]
    public void RevokedKeyIsNotAKnownKeyForChangedDetection()
    {
        string text = $"@revoked server {TrustTestKeys.Line(KeyA)}\n";
        Assert.Equal(HostKeyStatus.Unknown, Status(text, "server", 22, KeyB));
    }

    [Fact]
    public void CertificateAuthoritiesAreKeptButDoNotTrustPlainKeys()
    {
        string text = $"@cert-authority *.example.com {TrustTestKeys.Line(KeyA)} ca\nserver {TrustTestKeys.Line(KeyB)}\n";
        KnownHostsFile file = KnownHostsFile.Parse(text);
        Assert.Equal(HostKeyStatus.Unknown, file.Check("a.example.com", 22, "ssh-ed25519", KeyA).Status);
        KnownHostsEntry ca = Assert.Single(file.CertificateAuthorities("a.example.com", 22));
        Assert.Equal(KnownHostsMarker.CertificateAuthority, ca.Marker);
        Assert.True(ca.HasKey(KeyA));
        Assert.Equal("ca", ca.Comment);
        Assert.Empty(file.CertificateAuthorities("server", 22));
        Assert.Single(file.CertificateAuthorities("b.example.com", 22));
    }

    [Fact]
    public void AddressEntriesCountForTheHost()
    {
        string text = $"192.0.2.10 {TrustTestKeys.Line(KeyA)}\n[2001:db8::1]:2222 {TrustTestKeys.Line(KeyB)}\n";
        Assert.Equal(HostKeyStatus.Unknown, Status(text, "server", 22, KeyA));
        Assert.Equal(HostKeyStatus.Trusted, Status(text, "server", 22, KeyA, IPAddress.Parse("192.0.2.10")));
        Assert.Equal(HostKeyStatus.Trusted, Status(text, "server", 22, KeyA, IPAddress.Parse("192.0.2.10").MapToIPv6()));
        Assert.Equal(HostKeyStatus.Changed, Status(text, "server", 22, KeyB, IPAddress.Parse("192.0.2.10")));
        Assert.Equal(HostKeyStatus.Trusted, Status(text, "server", 2222, KeyB, IPAddress.Parse("2001:db8::1")));
        Assert.Equal(HostKeyStatus.Unknown, Status(text, "server", 22, KeyB, IPAddress.Parse("2001:db8::1")));
    }

    [Fact]
    public void MalformedLinesAreSkippedWithWarnings()
    {
        string good = TrustTestKeys.Line(KeyA);
        string text = string.Join('\n',
            "# a comment",
            string.Empty,
            $"server {good}",
            "server ssh-ed25519",
            $"@bogus server {good}",
            "server ssh-ed25519 !!!notbase64!!!",
            $"server ssh-rsa {Convert.ToBase64String(KeyA)}",
            $"|1|c2FsdA==|aGFzaA== {good}",
            $"|2|abc|def {good}",
            "server 1024 35 12345678901234567890",
            $"   other {good}   trailing comment  ");
        KnownHostsFile file = KnownHostsFile.Parse(text, "kh");
        Assert.Equal([3, 11], file.Entries.Select(e => e.LineNumber));
        Assert.Equal([4, 5, 6, 7, 8, 9, 10], file.Warnings.Select(w => w.LineNumber));
        Assert.All(file.Warnings, w => Assert.Equal("kh", w.Path));
        Assert.Contains("does not match", file.Warnings[3].Message, StringComparison.Ordinal);
        Assert.Equal("trailing comment", file.Entries[1].Comment);
    }

    [Fact]
    public void HandlesCrLfLineEndings()
    {
        string text = $"a {TrustTestKeys.Line(KeyA)}\r\nb {TrustTestKeys.Line(KeyB)}\r\n";
        KnownHostsFile file = KnownHostsFile.Parse(text);
        Assert.Empty(file.Warnings);
        Assert.Equal(HostKeyStatus.Trusted, file.Check("b", 22, "ssh-ed25519", KeyB).Status);
    }

    [Fact]
    public void MissingFileIsEmpty()
    {
        KnownHostsFile file = KnownHostsFile.Load(Path.Combine(Path.GetTempPath(), "no-such-dir-" + Guid.NewGuid(), "known_hosts"));
        Assert.Empty(file.Entries);
        Assert.Empty(file.Warnings);
    }

    [Fact]
    public void HashedEntryMatchesOnlyItsName()
    {
        string plain = KnownHostsFile.FormatEntry("Server.Example.com", 22, "ssh-ed25519", KeyA, hashed: true);
        string ported = KnownHostsFile.FormatEntry("server.example.com", 2222, "ssh-ed25519", KeyB, hashed: true);
        Assert.StartsWith("|1|", plain, StringComparison.Ordinal);
        KnownHostsFile file = KnownHostsFile.Parse(plain + "\n" + ported + "\n");
        Assert.Empty(file.Warnings);
        Assert.All(file.Entries, e => Assert.True(e.IsHashed));
        Assert.Equal(HostKeyStatus.Trusted, file.Check("server.example.com", 22, "ssh-ed25519", KeyA).Status);
        Assert.Equal(HostKeyStatus.Trusted, file.Check("server.example.com", 2222, "ssh-ed25519", KeyB).Status);
        Assert.Equal(HostKeyStatus.Changed, file.Check("server.example.com", 22, "ssh-ed25519", KeyB).Status);
        Assert.Equal(HostKeyStatus.Unknown, file.Check("server.example.org", 22, "ssh-ed25519", KeyA).Status);
    }

    [Fact]
    public void FormatEntryUsesPortFormAndFreshSalts()
    {
        Assert.Equal($"host {TrustTestKeys.Line(KeyA)}", KnownHostsFile.FormatEntry("host", 22, "ssh-ed25519", KeyA, hashed: false));
        Assert.Equal($"[host]:2022 {TrustTestKeys.Line(KeyA)} me@there", KnownHostsFile.FormatEntry("HOST", 2022, "ssh-ed25519", KeyA, false, "me@there"));
        Assert.NotEqual(
            KnownHostsFile.FormatEntry("host", 22, "ssh-ed25519", KeyA, hashed: true),
            KnownHostsFile.FormatEntry("host", 22, "ssh-ed25519", KeyA, hashed: true));
        Assert.Throws<ArgumentException>(() => KnownHostsFile.FormatEntry("a,b", 22, "ssh-ed25519", KeyA, false));
        Assert.Throws<ArgumentException>(() => KnownHostsFile.FormatEntry("a b", 22, "ssh-ed25519", KeyA, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => KnownHostsFile.FormatEntry("a", 0, "ssh-ed25519", KeyA, false));
    }

    [Fact]
    public async Task AppendCreatesDirectoryAndFileAndKeepsLinesSeparate()
    {
        using var temp = new TempDirectory();
        string path = Path.Combine(temp.Path, ".ssh", "known_hosts");
        await KnownHostsFile.AppendAsync(path, "one", 22, "ssh-ed25519", KeyA, hashed: false);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        }

        File.AppendAllText(path, "# no newline at end");
        await KnownHostsFile.AppendAsync(path, "two", 2200, "ssh-ed25519", KeyB, hashed: true);
        KnownHostsFile file = KnownHostsFile.Load(path);
        Assert.Empty(file.Warnings);
        Assert.Equal(2, file.Entries.Count);
        Assert.Equal(HostKeyStatus.Trusted, file.Check("one", 22, "ssh-ed25519", KeyA).Status);
        Assert.Equal(HostKeyStatus.Trusted, file.Check("two", 2200, "ssh-ed25519", KeyB).Status);
        Assert.EndsWith("\n", File.ReadAllText(path), StringComparison.Ordinal);
    }
}
