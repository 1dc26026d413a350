using Xunit;

namespace Rx.Ssh.Tests.Client.Hosts;

/// <summary>Parsing and naming of <see cref="SshHost"/>.</summary>
public sealed class SshHostTests
{
    [Theory]
    [InlineData("web1", null, "web1", 22)]
    [InlineData("alice@web1", "alice", "web1", 22)]
    [InlineData("alice@web1:2222", "alice", "web1", 2222)]
    [InlineData("[::1]:2200", null, "::1", 2200)]
    [InlineData("bob@[fe80::1]", "bob", "fe80::1", 22)]
    [InlineData("::1", null, "::1", 22)]
    public void ParsesUserHostAndPort(string text, string? user, string host, int port)
    {
        SshHost parsed = SshHost.Parse(text);

        Assert.Equal(user, parsed.UserName);
        Assert.Equal(host, parsed.Host);
        Assert.Equal(port, parsed.Port);
    }

    [Theory]
    [InlineData("")]
    [InlineData("@web1")]
    [InlineData("web1:")]
    [InlineData("web1:99999")]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    public void RejectsMalformedText(string text) => Assert.Throws<FormatException>(() => SshHost.Parse(text));

    [Fact]
    public void ParsedHostsRoundTripThroughToString()
    {
        SshHost[] hosts = [SshHost.Parse("alice@web1:2222"), SshHost.Parse("[::1]:22")];

        Assert.Equal("alice@web1:2222", hosts[0].ToString());
        Assert.Equal("[::1]:22", hosts[1].ToString());
        Assert.Equal(hosts[0], SshHost.Parse(hosts[0].ToString()) with { Options = hosts[0].Options });
    }

    [Fact]
    public void DefaultsComeFromTheArguments()
    {
        var options = new SshClientOptions { UserName = "carol" };

        SshHost host = SshHost.Parse("web1", options, defaultPort: 8022);

        Assert.Equal(8022, host.Port);
        Assert.Same(options, host.Options);
        Assert.Null(host.UserName);
    }
}
