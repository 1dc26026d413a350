using System.Net;
using Rx.Ssh.Keys;
using Rx.Ssh.Trust;

using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Trust;

public sealed class HostKeyVerifierTests : IDisposable
{
    private static readonly byte[] KeyA = TrustTestKeys.Ed25519(1);
    private static readonly byte[] KeyB = TrustTestKeys.Ed25519(2);
    private static readonly byte[] Ecdsa = TrustTestKeys.Ecdsa("nistp256", 3);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static HostKeyContext Context(string host, int port, byte[] blob, IPAddress? address = null)
        => new(host, port, TrustTestKeys.TypeOf(blob), blob, address);

    [Fact]
    public void DefaultsAreUserThenSystemFiles()
    {
        var verifier = new KnownHostsVerifier();
        Assert.EndsWith(Path.Combine(".ssh", "known_hosts"), verifier.Paths[0], StringComparison.Ordinal);
        Assert.Equal("/etc/ssh/ssh_known_hosts", verifier.Paths[1]);
        Assert.False(verifier.AddOnFirstUse);
    }

    [Fact]
    public async Task TrustsKeysFromAnyFile()
    {
        string user = _temp.File("user");
        string system = _temp.File("system");
        File.WriteAllText(system, $"server {TrustTestKeys.Line(KeyA)}\n");
        var verifier = new KnownHostsVerifier(user, system);
        await verifier.VerifyAsync(Context("server", 22, KeyA));
    }

    [Theory]
    [InlineData("server", HostKeyTrustFailure.Changed)]
    [InlineData("other", HostKeyTrustFailure.Unknown)]
    public async Task RefusesUnknownAndChangedKeys(string host, HostKeyTrustFailure failure)
    {
        string user = _temp.File("user");
        File.WriteAllText(user, $"server {TrustTestKeys.Line(KeyA)}\n");
        var verifier = new KnownHostsVerifier(user);
        SshHostKeyNotTrustedException e = await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(
            () => verifier.VerifyAsync(Context(host, 22, KeyB)).AsTask());
        Assert.Equal(failure, e.Failure);
        Assert.Equal(host, e.Host);
        Assert.Equal(22, e.Port);
        Assert.Equal("ssh-ed25519", e.KeyType);
        Assert.Equal(KeyFingerprint.Sha256(KeyB), e.Fingerprint);
        Assert.StartsWith("SHA256:", e.Fingerprint, StringComparison.Ordinal);
        Assert.Equal(failure == HostKeyTrustFailure.Changed ? [KeyFingerprint.Sha256(KeyA)] : [], e.KnownFingerprints);
    }

    [Fact]
    public async Task RevokedInSystemFileBeatsTrustInUserFile()
    {
        string user = _temp.File("user");
        string system = _temp.File("system");
        File.WriteAllText(user, $"server {TrustTestKeys.Line(KeyA)}\n");
        File.WriteAllText(system, $"@revoked * {TrustTestKeys.Line(KeyA)}\n");
        var verifier = new KnownHostsVerifier(user, system) { AddOnFirstUse = true };
        SshHostKeyNotTrustedException e = await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(
            () => verifier.VerifyAsync(Context("server", 22, KeyA)).AsTask());
        Assert.Equal(HostKeyTrustFailure.Revoked, e.Failure);
    }

    [Fact]
    public async Task AddOnFirstUseAddsNewHostsOnly()
    {
        string user = Path.Combine(_temp.Path, "home", ".ssh", "known_hosts");
        var verifier = new KnownHostsVerifier(user) { AddOnFirstUse = true, HashAddedHosts = true };

        await verifier.VerifyAsync(Context("fresh", 2222, KeyA));
        KnownHostsEntry added = Assert.Single(KnownHostsFile.Load(user).Entries);
        Assert.True(added.IsHashed);
        Assert.True(added.Matches("fresh", 2222));

        await verifier.VerifyAsync(Context("fresh", 2222, KeyA)); // now simply trusted
        Assert.Single(KnownHostsFile.Load(user).Entries);

        SshHostKeyNotTrustedException changed = await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(
            () => verifier.VerifyAsync(Context("fresh", 2222, KeyB)).AsTask());
        Assert.Equal(HostKeyTrustFailure.Changed, changed.Failure);

        // Another key type for a host that is already known is not added silently.
        SshHostKeyNotTrustedException otherType = await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(
            () => verifier.VerifyAsync(Context("fresh", 2222, Ecdsa)).AsTask());
        Assert.Equal(HostKeyTrustFailure.Unknown, otherType.Failure);
        Assert.Single(KnownHostsFile.Load(user).Entries);
    }

    [Fact]
    public async Task ConfirmUnknownKeyCanAcceptAndRecord()
    {
        string user = _temp.File("known_hosts");
        File.WriteAllText(user, $"server {TrustTestKeys.Line(Ecdsa)}\n");
        HostKeyCheckResult? seen = null;
        var verifier = new KnownHostsVerifier(user)
        {
            ConfirmUnknownKey = (context, result, _) =>
            {
                seen = result;
                return ValueTask.FromResult(context.Host == "server");
            },
        };

        await verifier.VerifyAsync(Context("server", 22, KeyA));
        Assert.NotNull(seen);
        Assert.True(seen.OtherTypesKnown);
        Assert.Equal(HostKeyStatus.Trusted, KnownHostsFile.Load(user).Check("server", 22, "ssh-ed25519", KeyA).Status);

        await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(() => verifier.VerifyAsync(Context("nope", 22, KeyA)).AsTask());
    }

    [Fact]
    public async Task AddressEntriesCountOnlyWithCheckHostIp()
    {
        string user = _temp.File("known_hosts");
        File.WriteAllText(user, $"198.51.100.4 {TrustTestKeys.Line(KeyA)}\n");
        HostKeyContext context = Context("name.example", 22, KeyA, IPAddress.Parse("198.51.100.4"));

        // As OpenSSH (CheckHostIP no, its default since 8.5): a key known only for the address does not vouch for the name.
        await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(() => new KnownHostsVerifier(user).VerifyAsync(context).AsTask());
        await new KnownHostsVerifier(user) { CheckHostIp = true }.VerifyAsync(context);
    }

    [Fact]
    public async Task CallbackVerifierAcceptsAndRejects()
    {
        HostKeyContext context = Context("h", 22, KeyA);
        await new CallbackHostKeyVerifier(c => c.Fingerprint == context.Fingerprint).VerifyAsync(context);
        await new CallbackHostKeyVerifier(c => ValueTask.FromResult(true)).VerifyAsync(context);

        SshHostKeyNotTrustedException e = await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(
            () => new CallbackHostKeyVerifier(_ => false).VerifyAsync(context).AsTask());
        Assert.Equal(HostKeyTrustFailure.Rejected, e.Failure);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => new CallbackHostKeyVerifier((Func<HostKeyContext, bool>)(_ => throw new InvalidOperationException("boom"))).VerifyAsync(context).AsTask());
    }

    [Fact]
    public async Task InsecureVerifierAcceptsAnything()
        => await InsecureAcceptAnyHostKey.Instance.VerifyAsync(Context("h", 22, KeyB));

    [Fact]
    public void ContextComputesFingerprintAndName()
    {
        HostKeyContext context = Context("Host", 2200, KeyA);
        Assert.Equal(KeyFingerprint.Sha256(KeyA), context.Fingerprint);
        Assert.Equal($"[host]:2200 ssh-ed25519 {context.Fingerprint}", context.ToString());
    }
}
