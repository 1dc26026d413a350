using Rx.Ssh.Algorithms;

namespace Rx.Ssh.Tests.Algorithms;

public sealed class AlgorithmCatalogTests
{
    [Fact]
    public void Every_default_name_resolves_in_the_catalogue()
    {
        SshAlgorithms d = SshAlgorithms.Default;
        Assert.All(d.KeyExchange, n => Assert.True(AlgorithmCatalog.KeyExchange.ContainsKey(n), n));
        Assert.All(d.HostKey, n => Assert.Contains(n, AlgorithmCatalog.HostKey));
        Assert.All(d.Ciphers, n => Assert.True(AlgorithmCatalog.Ciphers.ContainsKey(n), n));
        Assert.All(d.Macs, n => Assert.True(AlgorithmCatalog.Macs.ContainsKey(n), n));
        Assert.All(d.Compression, n => Assert.Contains(n, AlgorithmCatalog.Compression));
    }

    [Fact]
    public void Every_catalogued_algorithm_is_available_here()
    {
        Assert.All(AlgorithmCatalog.Ciphers.Values, c => Assert.True(c.IsAvailable, c.Name));
        Assert.All(AlgorithmCatalog.KeyExchange.Values, k => Assert.True(k.IsAvailable, k.Name));
    }

    [Fact]
    public void Defaults_are_modern_only()
    {
        SshAlgorithms d = SshAlgorithms.Default;
        Assert.DoesNotContain("ssh-rsa", d.HostKey);
        Assert.DoesNotContain(d.Ciphers, c => c.EndsWith("-cbc", StringComparison.Ordinal));
        // HMAC-SHA1 is still a sound MAC and OpenSSH offers it; MD5 and truncated MACs stay off.
        Assert.DoesNotContain(d.Macs, m => m.Contains("md5", StringComparison.Ordinal) || m.Contains("-96", StringComparison.Ordinal));
        Assert.DoesNotContain(d.KeyExchange, k => k.EndsWith("-sha1", StringComparison.Ordinal));
        Assert.DoesNotContain("diffie-hellman-group1-sha1", d.KeyExchange);
    }

    [Fact]
    public void Default_MACs_follow_OpenSSH_order()
    {
        Assert.Equal(
            [
                "umac-64-etm@openssh.com", "umac-128-etm@openssh.com", "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com",
                "hmac-sha1-etm@openssh.com", "umac-64@openssh.com", "umac-128@openssh.com", "hmac-sha2-256", "hmac-sha2-512", "hmac-sha1",
            ],
            SshAlgorithms.Default.Macs);
    }

    [Fact]
    public void Post_quantum_hybrids_come_first_in_the_default_kex_order()
    {
        Assert.Equal(
            [
                "mlkem768x25519-sha256", "sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com",
                "curve25519-sha256", "curve25519-sha256@libssh.org", "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521",
                "diffie-hellman-group-exchange-sha256", "diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512", "diffie-hellman-group14-sha256",
            ],
            SshAlgorithms.Default.KeyExchange);
    }

    [Theory]
    [InlineData("diffie-hellman-group14-sha1")]
    [InlineData("diffie-hellman-group1-sha1")]
    [InlineData("diffie-hellman-group-exchange-sha1")]
    public void Legacy_kex_is_implemented_but_off_by_default(string name)
    {
        Assert.True(AlgorithmCatalog.KeyExchange.ContainsKey(name));
        Assert.DoesNotContain(name, SshAlgorithms.Default.KeyExchange);
        Assert.Contains(name, SshAlgorithms.Edit(SshAlgorithms.Default.KeyExchange, "+" + name));
    }

    [Theory]
    [InlineData("+x", "a,b,c,x")]
    [InlineData("^c,x", "c,x,a,b")]
    [InlineData("-b", "a,c")]
    [InlineData("-*c*", "a,b")]
    [InlineData("y,z", "y,z")]
    public void OpenSsh_style_edits(string edit, string expected)
    {
        Assert.Equal(expected, string.Join(',', SshAlgorithms.Edit(["a", "b", "c"], edit)));
    }
}
