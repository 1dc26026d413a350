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
        Assert.DoesNotContain(d.Macs, m => m.Contains("sha1", StringComparison.Ordinal) || m.Contains("md5", StringComparison.Ordinal));
        Assert.Equal("curve25519-sha256", d.KeyExchange[0]);
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
