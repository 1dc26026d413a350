using System.Diagnostics;
using Rx.Ssh.Keys;
using Rx.Ssh.Keys.Certificates;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Keys.Certificates;

/// <summary>
/// A certificate whose CA key is a certificate is invalid (PROTOCOL.certkeys); parsing refuses it at
/// the first nested level, so no depth of nesting costs recursion or copying.
/// </summary>
public sealed class NestedCertificateTests
{
    private static SshPublicKey Ca => InMemoryServer.HostKey.PublicKey;

    [Fact]
    public void Certificate_as_ca_key_is_refused_with_a_typed_error()
    {
        byte[] blob = NestedCertificate.Build(2, Ca);

        var fromCertificate = Assert.Throws<SshKeyFormatException>(() => SshCertificate.FromBlob(blob));
        var fromKey = Assert.Throws<SshKeyFormatException>(() => SshPublicKey.FromBlob(blob));
        var fromLine = Assert.Throws<SshKeyFormatException>(() => SshPublicKey.Parse("ssh-ed25519-cert-v01@openssh.com " + Convert.ToBase64String(blob)));

        Assert.Contains("CA key is itself a certificate", fromCertificate.Message, StringComparison.Ordinal);
        Assert.Contains("CA key is itself a certificate", fromKey.Message, StringComparison.Ordinal);
        Assert.Contains("CA key is itself a certificate", fromLine.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_level_with_a_plain_ca_key_still_parses()
    {
        SshCertificate certificate = SshCertificate.FromBlob(NestedCertificate.Build(1, Ca));

        Assert.Equal(Ca, certificate.SignatureKey);
        Assert.False(certificate.VerifyCaSignature());
    }

    [Fact]
    public void Two_thousand_levels_fail_fast_with_little_memory()
    {
        byte[] blob = NestedCertificate.Build(2000, Ca);
        Assert.Throws<SshKeyFormatException>(() => SshPublicKey.FromBlob(NestedCertificate.Build(2, Ca))); // warm up (JIT)

        long before = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<SshKeyFormatException>(() => SshPublicKey.FromBlob(blob));
        clock.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("CA key is itself a certificate", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 10 * 1024 * 1024, $"allocated {allocated} bytes");
        Assert.True(clock.ElapsedMilliseconds < 50, $"took {clock.ElapsedMilliseconds} ms");
    }
}
