using Xunit;

namespace Rx.Ssh.Tests.Connection;

/// <summary>Both roles' options share one base record for their common fields (issue 11).</summary>
public sealed class ConnectionOptionsTests
{
    [Fact]
    public void TheSharedFieldsHaveOneSetOfDefaultsOnBothRoles()
    {
        SshConnectionOptions client = new SshClientOptions();
        SshConnectionOptions server = new SshServerOptions();

        Assert.Equal(client.RekeyInterval, server.RekeyInterval);
        Assert.Equal(client.KeyExchangeTimeout, server.KeyExchangeTimeout);
        Assert.Equal(client.KeepAliveCountMax, server.KeepAliveCountMax);
        Assert.Same(client.ChannelSettings, server.ChannelSettings);
        Assert.Same(client.Algorithms, server.Algorithms);
    }

    [Fact]
    public void WithKeepsTheDerivedTypeAndItsOwnFields()
    {
        var options = new SshClientOptions { UserName = "bob", KeepAliveCountMax = 7 };

        SshClientOptions changed = options with { KeepAliveInterval = TimeSpan.FromSeconds(5) };
        SshConnectionOptions viaBase = changed with { RekeyBytes = 1024 };

        Assert.Equal("bob", changed.UserName);
        Assert.Equal(7, changed.KeepAliveCountMax);
        Assert.Equal(TimeSpan.FromSeconds(5), changed.KeepAliveInterval);
        SshClientOptions derived = Assert.IsType<SshClientOptions>(viaBase);
        Assert.Equal("bob", derived.UserName);
        Assert.Equal(1024, derived.RekeyBytes);
        Assert.NotEqual<SshConnectionOptions>(new SshClientOptions(), new SshServerOptions());
    }
}
