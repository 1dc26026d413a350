namespace Rx.Ssh.Tests.Config;

/// <summary>ssh_config(5) as ssh reads it: blocks, first value wins, Include, Match, tokens, errors naming file and line.</summary>
public sealed class SshConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rxssh-config-").FullName;

    private SshConfigResolveOptions Options => new() { LocalUser = "me", HomeDirectory = "/home/me", Environment = name => name == "WORK" ? "/w" : null };

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void An_include_that_matches_a_file_that_cannot_be_read_is_an_error_naming_it()
    {
        // Found by the fuzzer: "Include /tmp/*" matched a UNIX socket, and the read's IOException escaped untyped.
        string socketPath = Path.Combine(_dir, "agent.sock");
        using (var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath));
            SshConfig config = SshConfig.Parse($"Include {_dir}/*\nHost x\n  Port 2\n", "config", _dir);

            SshConfigException error = Assert.Throws<SshConfigException>(() => config.Resolve("x", Options));
            Assert.Contains(socketPath, error.Message, StringComparison.Ordinal);
            Assert.IsAssignableFrom<IOException>(error.InnerException);
        }

        File.Delete(socketPath);
    }

    [Fact]
    public void Host_blocks_apply_in_order_and_the_first_value_wins()
    {
        SshConfig config = SshConfig.Parse("""
            # comment
            Host web*  !web-old
              HostName %h.example.org
              User deploy
            Host *
              User nobody
              Port=2222
              IdentityFile ~/.ssh/id_a
            Host web1
              IdentityFile ~/.ssh/id_b
              IdentityFile ~/.ssh/id_a
            """);

        SshHostConfig web = config.Resolve("web1", Options);
        Assert.Equal(("web1.example.org", 2222, "deploy"), (web.HostName, web.Port, web.User));
        Assert.Equal(["/home/me/.ssh/id_a", "/home/me/.ssh/id_b"], web.IdentityFiles);

        SshHostConfig old = config.Resolve("web-old", Options);
        Assert.Equal(("web-old", "nobody"), (old.HostName, old.User));
    }

    [Fact]
    public void The_callers_user_and_port_win_over_the_file()
    {
        SshHostConfig host = SshConfig.Parse("Host *\n User filed\n Port 2200\n").Resolve("h", Options with { User = "given", Port = 22 });
        Assert.Equal(("given", 22), (host.User, host.Port));
    }

    [Fact]
    public void Defaults_apply_when_nothing_matches()
    {
        SshHostConfig host = SshConfig.Parse("Host other\n User x\n").Resolve("h", Options);
        Assert.Equal(("h", 22, "me"), (host.HostName, host.Port, host.User));
        Assert.Empty(host.IdentityFiles);
        Assert.Null(host.StrictHostKeyChecking);
    }

    [Fact]
    public void Tokens_tilde_and_environment_variables_are_expanded_where_ssh_expands_them()
    {
        SshHostConfig host = SshConfig.Parse("""
            Host box
              HostName real.example
              User u1
              Port 2022
              IdentityFile ${WORK}/keys/%r@%h-%p
              UserKnownHostsFile ~/kh/%n "%d/with space"
              ProxyCommand nc %h %p # not part of it
              RemoteCommand echo 100%%
            """).Resolve("box", Options);

        Assert.Equal(["/w/keys/u1@real.example-2022"], host.IdentityFiles);
        Assert.Equal(["/home/me/kh/box", "/home/me/with space"], host.UserKnownHostsFiles);
        Assert.Equal("nc real.example 2022", host.ProxyCommand);
        Assert.Equal("echo 100%", host.RemoteCommand);
    }

    [Fact]
    public void Match_criteria_host_originalhost_user_localuser_and_negation()
    {
        SshConfig config = SshConfig.Parse("""
            Host alias
              HostName db.internal
            Match host db.* user admin
              Port 1
            Match originalhost alias !localuser root
              Port 2
            Match localuser me
              Port 3
            """);

        Assert.Equal(1, config.Resolve("alias", Options with { User = "admin" }).Port);
        Assert.Equal(2, config.Resolve("alias", Options).Port);
        Assert.Equal(3, config.Resolve("other", Options).Port);
    }

    [Fact]
    public void Match_exec_runs_with_tokens_and_is_skipped_once_the_line_already_failed()
    {
        var ran = new List<string>();
        SshConfigResolveOptions options = Options with { Exec = command => { ran.Add(command); return command.EndsWith("yes", StringComparison.Ordinal); } };
        SshConfig config = SshConfig.Parse("""
            Match host nothere exec "never %h"
              User a
            Match exec "test %h yes"
              User b
            """);

        Assert.Equal("b", config.Resolve("h1", options).User);
        Assert.Equal(["test h1 yes"], ran);
    }

    [Fact]
    public void Match_exec_runs_through_the_shell_by_default()
    {
        SshConfig config = SshConfig.Parse("Match exec \"test %h = yes\"\n User matched\n");
        Assert.Equal("matched", config.Resolve("yes", Options with { Exec = null }).User);
        Assert.Equal("me", config.Resolve("no", Options with { Exec = null }).User);
    }

    [Fact]
    public void Match_final_reads_everything_again_with_the_hostname_found()
    {
        SshHostConfig host = SshConfig.Parse("""
            Match final host real.example
              User late
            Host short
              HostName real.example
            """).Resolve("short", Options);

        Assert.Equal(("real.example", "late"), (host.HostName, host.User));
    }

    [Fact]
    public void Match_all_and_tagged()
    {
        SshConfig config = SshConfig.Parse("Host t\n Tag blue\nMatch tagged blue\n User tagged\nMatch all\n User all\n");
        Assert.Equal("tagged", config.Resolve("t", Options).User);
        Assert.Equal("all", config.Resolve("u", Options).User);
    }

    [Fact]
    public void Include_reads_globbed_files_in_order_relative_to_the_include_directory()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "conf.d"));
        File.WriteAllText(Path.Combine(_dir, "conf.d", "20-b.conf"), "Host *\n User from-b\n IdentityFile /b\n");
        File.WriteAllText(Path.Combine(_dir, "conf.d", "10-a.conf"), "IdentityFile /a\nHost special\n User special\n");
        File.WriteAllText(Path.Combine(_dir, "conf.d", ".hidden.conf"), "User hidden\n");

        SshConfig config = SshConfig.Parse("Include conf.d/*.conf missing.conf\nHost *\n User main\n", includeDirectory: _dir);

        SshHostConfig plain = config.Resolve("plain", Options);
        Assert.Equal("from-b", plain.User);
        Assert.Equal(["/a", "/b"], plain.IdentityFiles);
        Assert.Equal("special", config.Resolve("special", Options).User);
    }

    [Fact]
    public void An_include_under_a_block_that_does_not_match_never_matches_inside()
    {
        File.WriteAllText(Path.Combine(_dir, "inner"), "Port 1\nHost *\n User inner\n");
        SshConfig config = SshConfig.Parse("Host nomatch\n Include inner\nHost *\n User outer\n", includeDirectory: _dir);

        SshHostConfig host = config.Resolve("h", Options);
        Assert.Equal(("outer", 22), (host.User, host.Port));
        Assert.Equal(("inner", 1), (config.Resolve("nomatch", Options).User, config.Resolve("nomatch", Options).Port));
    }

    [Fact]
    public void An_include_of_itself_stops_at_the_depth_limit_with_the_line_named()
    {
        string path = Path.Combine(_dir, "loop");
        File.WriteAllText(path, "Include loop\n");
        var error = Assert.Throws<SshConfigException>(() => SshConfig.Parse("Include loop\n", includeDirectory: _dir).Resolve("h", Options));
        Assert.Equal((path, 1), (error.FileName, error.LineNumber));
        Assert.Contains("deeper than 16", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host a\n User \"unterminated\n", 2, "unterminated quote")]
    [InlineData("User\n", 1, "needs a value")]
    [InlineData("Match nonsense x\n", 1, "unsupported Match criterion")]
    [InlineData("Match host\n", 1, "needs an argument")]
    [InlineData("Match all host x\n", 1, "cannot be combined")]
    [InlineData("Port 70000\n", 1, "port: expected a number from 1 to 65535")]
    [InlineData("\n\nConnectTimeout 5x\n", 3, "bad time unit")]
    [InlineData("StrictHostKeyChecking maybe\n", 1, "unknown value")]
    [InlineData("IdentityFile %z\n", 1, "unknown token %z")]
    [InlineData("IdentityFile ${UNSET_FOR_TEST}\n", 1, "UNSET_FOR_TEST is not set")]
    [InlineData("Host\n", 1, "at least one pattern")]
    public void Errors_name_the_file_and_line(string text, int line, string problem)
    {
        var error = Assert.Throws<SshConfigException>(() => SshConfig.Parse(text, "test.conf").Resolve("a", Options));
        Assert.Equal(("test.conf", line), (error.FileName, error.LineNumber));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"test.conf line {line}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Typed_values_are_parsed()
    {
        SshHostConfig host = SshConfig.Parse("""
            StrictHostKeyChecking accept-new
            ConnectTimeout 1m30s
            ServerAliveInterval 15
            ServerAliveCountMax 4
            IdentitiesOnly yes
            PasswordAuthentication no
            ChallengeResponseAuthentication no
            Ciphers ^aes256-gcm@openssh.com
            PubkeyAcceptedKeyTypes -ssh-rsa
            PreferredAuthentications publickey,password
            SendEnv LANG LC_*
            SendEnv EDITOR
            SetEnv A=1 B=two=2
            SetEnv A=ignored
            LocalForward 8080 localhost:80
            LocalForward 8081 localhost:81
            DynamicForward 1080
            ProxyJump none
            FutureKeyword whatever
            """).Resolve("h", Options);

        Assert.Equal(SshStrictHostKeyChecking.AcceptNew, host.StrictHostKeyChecking);
        Assert.Equal(TimeSpan.FromSeconds(90), host.ConnectTimeout);
        Assert.Equal((TimeSpan.FromSeconds(15), 4), (host.ServerAliveInterval!.Value, host.ServerAliveCountMax!.Value));
        Assert.Equal((true, false, false), (host.IdentitiesOnly, host.PasswordAuthentication, host.KbdInteractiveAuthentication));
        Assert.Equal(("^aes256-gcm@openssh.com", "-ssh-rsa"), (host.Ciphers, host.PubkeyAcceptedAlgorithms));
        Assert.Equal(["publickey", "password"], host.PreferredAuthentications);
        Assert.Equal(["LANG", "LC_*", "EDITOR"], host.SendEnv);
        Assert.Equal(new Dictionary<string, string> { ["A"] = "1", ["B"] = "two=2" }, host.SetEnv);
        Assert.Equal(2, host.LocalForwards.Count);
        Assert.Equal(["8081", "localhost:81"], host.LocalForwards[1]);
        Assert.Equal(["1080"], host.DynamicForwards);
        Assert.Null(host.ProxyJump);
        Assert.Equal(["whatever"], host["futurekeyword"]);
    }

    [Fact]
    public void Unknown_keywords_are_logged_at_debug_and_otherwise_ignored()
    {
        using var logs = new Infrastructure.LogCollector();
        SshHostConfig host = SshConfig.Parse("Bogus 1\nUser u\n").Resolve("h", Options with { Logger = logs.CreateLogger("config") });
        Assert.Equal("u", host.User);
        Assert.Contains(logs.Lines, l => l.Contains("Debug", StringComparison.Ordinal) && l.Contains("unknown keyword bogus", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_reads_a_file_and_names_it_in_errors_and_a_missing_file_is_an_error()
    {
        string path = Path.Combine(_dir, "config");
        File.WriteAllText(path, "Host x\n  Port nope\n");
        var error = Assert.Throws<SshConfigException>(() => SshConfig.Load(path).Resolve("x", Options));
        Assert.Equal((path, 2), (error.FileName, error.LineNumber));
        Assert.Throws<FileNotFoundException>(() => SshConfig.Load(Path.Combine(_dir, "absent")));
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused()
    {
        string path = Path.Combine(_dir, "huge");
        File.WriteAllText(path, new string('#', SshConfig.MaxFileLength + 1));
        Assert.Throws<SshConfigException>(() => SshConfig.Load(path));
    }
}
