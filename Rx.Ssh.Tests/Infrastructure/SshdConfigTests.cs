namespace Rx.Ssh.Tests.Infrastructure;

public sealed class SshdConfigTests
{
    private static string Render(SshdOptions options) =>
        SshdConfig.Render(options, 2222, ["/k/ed", "/k/rsa"], "/d/authorized_keys", "/d/sshd.pid");

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Default_config_listens_on_loopback_with_the_fixed_test_settings()
    {
        string[] lines = Lines(Render(SshdOptions.Default));

        Assert.Contains("ListenAddress 127.0.0.1", lines);
        Assert.Contains("Port 2222", lines);
        Assert.Contains("HostKey /k/ed", lines);
        Assert.Contains("HostKey /k/rsa", lines);
        Assert.Contains("AuthorizedKeysFile /d/authorized_keys", lines);
        Assert.Contains("PidFile /d/sshd.pid", lines);
        Assert.Contains("AcceptEnv LANG LC_*", lines);
        Assert.Contains("Subsystem sftp internal-sftp", lines);
        Assert.Contains("StrictModes no", lines);
        Assert.Contains("UsePAM no", lines);
        Assert.Contains("PermitRootLogin yes", lines);
        Assert.Contains("LogLevel VERBOSE", lines);
        Assert.Contains("PasswordAuthentication no", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("Ciphers", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("AuthenticationMethods", StringComparison.Ordinal));
    }

    [Fact]
    public void Algorithm_lists_are_comma_joined_and_keep_prefix_syntax()
    {
        string[] lines = Lines(Render(new SshdOptions
        {
            KexAlgorithms = ["curve25519-sha256", "ecdh-sha2-nistp256"],
            Ciphers = ["aes128-gcm@openssh.com"],
            Macs = ["hmac-sha2-256-etm@openssh.com"],
            HostKeyAlgorithms = ["+ssh-rsa"],
            PubkeyAcceptedAlgorithms = ["-ssh-ed25519"],
            PasswordAuthentication = true,
            AuthenticationMethods = "publickey,password",
            MaxStartups = "2:50:4",
            AcceptEnv = ["LANG", "RXSSH_*"],
        }));

        Assert.Contains("KexAlgorithms curve25519-sha256,ecdh-sha2-nistp256", lines);
        Assert.Contains("Ciphers aes128-gcm@openssh.com", lines);
        Assert.Contains("MACs hmac-sha2-256-etm@openssh.com", lines);
        Assert.Contains("HostKeyAlgorithms +ssh-rsa", lines);
        Assert.Contains("PubkeyAcceptedAlgorithms -ssh-ed25519", lines);
        Assert.Contains("PasswordAuthentication yes", lines);
        Assert.Contains("AuthenticationMethods publickey,password", lines);
        Assert.Contains("MaxStartups 2:50:4", lines);
        Assert.Contains("AcceptEnv LANG RXSSH_*", lines);
    }

    [Fact]
    public void Extra_lines_come_first_so_they_win_and_trailing_lines_come_last()
    {
        string[] lines = Lines(Render(new SshdOptions
        {
            ExtraLines = ["LogLevel DEBUG3"],
            TrailingLines = ["Match User nobody", "  PasswordAuthentication yes"],
        }));

        Assert.True(Array.IndexOf(lines, "LogLevel DEBUG3") < Array.IndexOf(lines, "LogLevel VERBOSE"));
        Assert.Equal("  PasswordAuthentication yes", lines[^1]);
        Assert.Equal("Match User nobody", lines[^2]);
    }
}
