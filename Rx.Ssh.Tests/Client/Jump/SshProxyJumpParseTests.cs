using Rx.Ssh.Client.Jump;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Client.Jump;

/// <summary>ssh's ProxyJump / -J syntax (<see cref="SshProxyJump.Parse"/>), the hops' inherited options and ProxyCommand's tokens.</summary>
public sealed class SshProxyJumpParseTests
{
    [Theory]
    [InlineData("jump1", null, "jump1", 22)]
    [InlineData("alice@jump1:2222", "alice", "jump1", 2222)]
    [InlineData("jump1:2200", null, "jump1", 2200)]
    [InlineData("[::1]:2222", null, "::1", 2222)]
    [InlineData("bob@[fe80::1%eth0]", "bob", "fe80::1%eth0", 22)]
    [InlineData("::1", null, "::1", 22)]
    [InlineData("a@b@host:22", "a@b", "host", 22)]
    [InlineData("ssh://jump1", null, "jump1", 22)]
    [InlineData("ssh://carol@jump1:2022", "carol", "jump1", 2022)]
    [InlineData("SSH://carol@jump1:2022/", "carol", "jump1", 2022)]
    [InlineData("ssh://d%40x;fingerprint=SHA256:abc@jump1", "d@x", "jump1", 22)]
    [InlineData("ssh://[2001:db8::7]:2222", null, "2001:db8::7", 2222)]
    [InlineData("  jump1  ", null, "jump1", 22)]
    public void One_hop_in_each_form(string text, string? user, string host, int port)
    {
        SshProxyJump hop = Assert.Single(SshProxyJump.Parse(text));
        Assert.Equal(user, hop.UserName);
        Assert.Equal(host, hop.Host);
        Assert.Equal(port, hop.Port);
        Assert.Null(hop.Options);
    }

    [Fact]
    public void A_chain_keeps_its_order_and_each_hops_own_user_and_port()
    {
        IReadOnlyList<SshProxyJump> hops = SshProxyJump.Parse("user@jump1:22,jump2, ssh://ops@jump3:2222");
        Assert.Equal(["user@jump1:22", "jump2:22", "ops@jump3:2222"], hops.Select(h => h.ToString()));
    }

    [Fact]
    public void None_is_no_jump_host()
    {
        Assert.Empty(SshProxyJump.Parse("none"));
        Assert.Empty(SshProxyJump.Parse("NONE"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("jump1,,jump2")]
    [InlineData("jump1,")]
    [InlineData("@jump1")]
    [InlineData("alice@")]
    [InlineData("jump1:")]
    [InlineData("jump1:0")]
    [InlineData("jump1:65536")]
    [InlineData("jump1:22x")]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    [InlineData("jump 1")]
    [InlineData("jump\u00011")]
    [InlineData("-oProxyCommand=x")]
    [InlineData("ssh://jump1/path")]
    [InlineData("ssh://")]
    public void Malformed_values_are_format_errors(string text) =>
        Assert.Throws<FormatException>(() => SshProxyJump.Parse(text));

    [Fact]
    public void More_hops_than_the_limit_are_refused()
    {
        string text = string.Join(',', Enumerable.Range(0, SshProxyJump.MaxHops + 1).Select(i => "h" + i));
        FormatException e = Assert.Throws<FormatException>(() => SshProxyJump.Parse(text));
        Assert.Contains("at most", e.Message, StringComparison.Ordinal);
        Assert.Equal(SshProxyJump.MaxHops, SshProxyJump.Parse(string.Join(',', Enumerable.Range(0, SshProxyJump.MaxHops).Select(i => "h" + i))).Count);
    }

    [Fact]
    public void A_parsed_hop_prints_back_to_the_same_hop()
    {
        foreach (string text in new[] { "alice@jump1:2222", "[::1]:2200", "jump2:22" })
        {
            SshProxyJump hop = Assert.Single(SshProxyJump.Parse(text));
            Assert.Equal(hop, Assert.Single(SshProxyJump.Parse(hop.ToString())));
        }
    }

    [Fact]
    public void A_hop_without_options_inherits_the_targets_credentials_but_not_its_user_route_or_handlers()
    {
        var verifier = new KnownHostsVerifier("/nonexistent/known_hosts");
        var target = new SshClientOptions
        {
            UserName = "target-user",
            Password = "pw",
            KeyFiles = ["/keys/id"],
            HostKeyVerifier = verifier,
            ProxyJump = SshProxyJump.Parse("jump1"),
            ConnectionEvents = _ => { },
            ConnectTimeout = TimeSpan.FromSeconds(3),
        };

        SshClientOptions inherited = SshProxyJump.Parse("jump1")[0].OptionsFor(target);
        Assert.Equal(Environment.UserName, inherited.UserName);
        Assert.Equal("pw", inherited.Password);
        Assert.Equal(["/keys/id"], inherited.KeyFiles);
        Assert.Same(verifier, inherited.HostKeyVerifier);
        Assert.Equal(TimeSpan.FromSeconds(3), inherited.ConnectTimeout);
        Assert.Empty(inherited.ProxyJump);
        Assert.Null(inherited.ProxyCommand);
        Assert.Null(inherited.ConnectionEvents);

        Assert.Equal("ops", SshProxyJump.Parse("ops@jump1")[0].OptionsFor(target).UserName);

        var own = new SshClientOptions { UserName = "own", Password = "other" };
        SshClientOptions given = new SshProxyJump("jump1", 22, own).OptionsFor(target);
        Assert.Same(own, given);
        Assert.Equal("x", (new SshProxyJump("jump1", 22, own) { UserName = "x" }).OptionsFor(target).UserName);
    }

    [Fact]
    public void A_hop_from_an_SshHost_takes_its_name_port_user_and_options()
    {
        var options = new SshClientOptions { Password = "p" };
        var hop = new SshProxyJump(new SshHost("bastion", 2200, options) { UserName = "ops" });
        Assert.Equal("ops@bastion:2200", hop.ToString());
        Assert.Same(options, hop.Options);
    }

    [Theory]
    [InlineData("ssh -W %h:%p bastion", "ssh -W db.internal:2222 bastion")]
    [InlineData("connect %r@%n %%p", "connect deploy@db.internal %p")]
    [InlineData("plain", "plain")]
    public void ProxyCommand_tokens_expand_as_ssh_does(string command, string expected) =>
        Assert.Equal(expected, ProxyCommandLine.Expand(command, "db.internal", 2222, "deploy"));

    [Theory]
    [InlineData("nc %x %p")]
    [InlineData("nc %h %")]
    public void Unknown_ProxyCommand_tokens_are_refused(string command) =>
        Assert.Throws<ArgumentException>(() => ProxyCommandLine.Expand(command, "h", 22, "u"));

    [Theory]
    [InlineData("h;rm -rf ~", "u")]
    [InlineData("$(id)", "u")]
    [InlineData("-oFoo", "u")]
    [InlineData("h", "u`id`")]
    [InlineData("h", "u ser")]
    public void Names_with_shell_syntax_are_not_put_into_a_ProxyCommand(string host, string user) =>
        Assert.Throws<ArgumentException>(() => ProxyCommandLine.Expand("nc %h %p %r", host, 22, user));

    [Fact]
    public async Task Setting_both_ProxyJump_and_ProxyCommand_is_an_argument_error()
    {
        var options = new SshClientOptions { ProxyJump = SshProxyJump.Parse("jump1"), ProxyCommand = "nc %h %p" };
        await Assert.ThrowsAsync<ArgumentException>(() => SshClient.ConnectAsync("target", 22, options));
    }
}
