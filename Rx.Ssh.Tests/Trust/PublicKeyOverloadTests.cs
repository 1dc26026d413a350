using System.Net;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Trust;

public class PublicKeyOverloadTests
{
    private static readonly BlobOnlyPublicKey Key = new(TrustTestKeys.Ed25519(5));

    [Fact]
    public void KnownHostsOverloadsUseTypeAndBlob()
    {
        string line = KnownHostsFile.FormatEntry("h", 2222, Key, hashed: false, comment: "c");
        Assert.Equal("[h]:2222 " + Key.ToOpenSshString("c"), line);
        KnownHostsFile file = KnownHostsFile.Parse(line);
        Assert.Equal(HostKeyStatus.Trusted, file.Check("h", 2222, Key).Status);
        Assert.True(file.Entries[0].Matches("H", 2222));
        Assert.False(file.Entries[0].Matches("h", 22));
    }

    [Fact]
    public void AuthorizedKeysFindAcceptsKeys()
    {
        AuthorizedKeysFile file = AuthorizedKeysFile.Parse("no-pty " + Key.ToOpenSshString());
        Assert.Single(file.Find(Key));
    }

    [Fact]
    public void ContextFromKeyKeepsTheKey()
    {
        var context = new HostKeyContext("h", 22, Key, IPAddress.IPv6Loopback);
        Assert.Same(Key, context.Key);
        Assert.Equal(Key.GetFingerprint(), context.Fingerprint);
        Assert.Equal(Key.KeyType, context.KeyType);
    }

    [Fact]
    public void ScopedIpv6AddressIsLookedUpWithoutScope()
    {
        KnownHostsFile file = KnownHostsFile.Parse("fe80::1 " + Key.ToOpenSshString());
        var scoped = IPAddress.Parse("fe80::1%2");
        Assert.Equal(HostKeyStatus.Trusted, file.Check("router", 22, Key, scoped).Status);
    }
}
