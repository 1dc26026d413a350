using Microsoft.Extensions.Logging.Abstractions;
using Rx.Ssh.Client.Config;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Config;

/// <summary>
/// Applying a resolved ssh_config to <see cref="SshClientOptions"/>: each keyword to its option, the
/// code's values winning over the file's, algorithm lists edited against the library's defaults,
/// forwards parsed, bad values named by file and line.
/// </summary>
public sealed class ConfigApplyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rxssh-configapply-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static SshClientOptions Options(string text) => new() { Config = SshConfig.Parse(text, "test_config") };

    private static ConfiguredConnect Resolve(string text, string host = "h", int port = 22, SshClientOptions? options = null) =>
        ConfiguredConnect.Resolve(host, port, (options ?? new SshClientOptions()) with { Config = SshConfig.Parse(text, "test_config") });

    [Fact]
    public void The_agent_keywords_map_to_the_agent_options_where_the_code_left_defaults()
    {
        Assert.False(Resolve("Host h\n IdentityAgent none\n").Options.UseAgent);
        Assert.Equal("/run/agent.sock", Resolve("Host h\n IdentityAgent /run/agent.sock\n").Options.AgentPath);
        SshClientOptions environment = Resolve("Host h\n IdentityAgent SSH_AUTH_SOCK\n").Options;
        Assert.True(environment.UseAgent);
        Assert.Null(environment.AgentPath);

        SshClientOptions flags = Resolve("Host h\n IdentitiesOnly yes\n ForwardAgent yes\n").Options;
        Assert.True(flags.IdentitiesOnly);
        Assert.True(flags.ForwardAgent);
        Assert.False(Resolve("Host h\n ForwardAgent no\n").Options.ForwardAgent);

        // Set in code: the file does not override it.
        SshClientOptions code = new() { AgentPath = "/code/agent.sock" };
        Assert.Equal("/code/agent.sock", Resolve("Host h\n IdentityAgent none\n", options: code).Options.AgentPath);
        Assert.True(Resolve("Host h\n IdentityAgent none\n", options: code).Options.UseAgent);
    }

    [Fact]
    public void An_alias_resolves_to_its_hostname_port_user_and_identity_files()
    {
        string key = TestKeys.Ed25519.PrivateKeyPath;
        ConfiguredConnect c = Resolve($"""
            Host web
              HostName 10.0.0.7
              Port 2222
              User deploy
              IdentityFile {key}
              IdentityFile {_dir}/missing_key
            Host *
              User nobody
            """, "web");

        Assert.Equal(("10.0.0.7", 2222, "deploy"), (c.Host, c.Port, c.Options.UserName));
        Assert.Equal([key], c.Options.KeyFiles);
        Assert.False(c.Options.UseDefaultKeys);
    }

    [Fact]
    public void Values_set_in_code_win_and_defaults_are_filled()
    {
        string text = """
            Host *
              Port 2222
              User filed
              ConnectTimeout 5
              ServerAliveInterval 15
              ServerAliveCountMax 7
              IdentityFile /etc/hostname
            """;
        var code = new SshClientOptions
        {
            UserName = "coded",
            ConnectTimeout = TimeSpan.FromSeconds(9),
            KeepAliveInterval = TimeSpan.FromSeconds(1),
            KeyFiles = ["/mine"],
        };
        ConfiguredConnect given = Resolve(text, port: 2200, options: code);
        Assert.Equal((2200, "coded", TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(1), 7), (given.Port, given.Options.UserName, given.Options.ConnectTimeout, given.Options.KeepAliveInterval, given.Options.KeepAliveCountMax));
        Assert.Equal(["/mine"], given.Options.KeyFiles);

        ConfiguredConnect filled = Resolve(text);
        Assert.Equal((2222, "filed", TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), 7), (filled.Port, filled.Options.UserName, filled.Options.ConnectTimeout, filled.Options.KeepAliveInterval, filled.Options.KeepAliveCountMax));
        Assert.Equal(["/etc/hostname"], filled.Options.KeyFiles);
    }

    [Fact]
    public void The_first_value_wins_across_blocks()
    {
        ConfiguredConnect c = Resolve("Host h\n Port 1111\n ConnectTimeout 3\nHost *\n Port 2222\n ConnectTimeout 4\n");
        Assert.Equal((1111, TimeSpan.FromSeconds(3)), (c.Port, c.Options.ConnectTimeout));
    }

    [Fact]
    public void Empty_config_changes_nothing()
    {
        var options = new SshClientOptions { Config = SshConfig.Empty };
        ConfiguredConnect c = ConfiguredConnect.Resolve("h", 22, options);
        Assert.Same(options, c.Options);
        Assert.Equal(("h", 22), (c.Host, c.Port));
    }

    [Fact]
    public void The_options_use_the_default_config_and_the_suite_points_its_files_at_none()
    {
        Assert.Same(SshConfig.Default, new SshClientOptions().Config);
        Assert.Empty(SshConfig.DefaultFiles());
        Assert.Equal(("h", 22), (SshConfig.Default.Resolve("h").HostName, SshConfig.Default.Resolve("h").Port));
    }

    [Fact]
    public void Known_hosts_keywords_build_the_verifier_only_when_the_code_left_the_default()
    {
        string text = $"""
            Host *
              UserKnownHostsFile {_dir}/kh1 {_dir}/kh2
              GlobalKnownHostsFile none
              StrictHostKeyChecking accept-new
              CheckHostIP yes
              HashKnownHosts yes
            """;
        var verifier = Assert.IsType<KnownHostsVerifier>(Resolve(text).Options.HostKeyVerifier);
        Assert.Equal([$"{_dir}/kh1", $"{_dir}/kh2"], verifier.Paths);
        Assert.True(verifier.AddOnFirstUse);
        Assert.Null(verifier.ConfirmUnknownKey);
        Assert.True(verifier.CheckHostIp);
        Assert.True(verifier.HashAddedHosts);

        var mine = new KnownHostsVerifier($"{_dir}/mine");
        Assert.Same(mine, Resolve(text, options: new SshClientOptions { HostKeyVerifier = mine }).Options.HostKeyVerifier);
    }

    [Theory]
    [InlineData("yes", false, false)]
    [InlineData("ask", false, false)]
    [InlineData("accept-new", true, false)]
    [InlineData("no", true, true)]
    public void StrictHostKeyChecking_maps_to_adding_keys(string value, bool addOnFirstUse, bool confirmsAll)
    {
        var verifier = Assert.IsType<KnownHostsVerifier>(Resolve($"StrictHostKeyChecking {value}\n").Options.HostKeyVerifier);
        Assert.Equal(KnownHostsVerifier.DefaultPaths, verifier.Paths);
        Assert.Equal((addOnFirstUse, confirmsAll), (verifier.AddOnFirstUse, verifier.ConfirmUnknownKey is not null));
    }

    [Fact]
    public async Task HostKeyAlias_wraps_any_verifier()
    {
        var asked = new RecordingVerifier();
        IHostKeyVerifier verifier = Resolve("HostKeyAlias box\n", options: new SshClientOptions { HostKeyVerifier = asked }).Options.HostKeyVerifier!;
        SshPublicKey key = Rx.Ssh.Keys.Ed25519PrivateKey.Generate().PublicKey;

        await verifier.VerifyAsync(new HostKeyContext("real.example", 2222, key, System.Net.IPAddress.Loopback));
        verifier.WantsHostCertificates("real.example", 2222, System.Net.IPAddress.Loopback);

        // The alias, without the port or the address, as ssh looks it up.
        Assert.Equal(["verify box:22 no address", "certificates? box:22 no address"], asked.Calls);
        Assert.Same(key, asked.Key);
    }

    /// <summary>Records what it was asked, and accepts every key.</summary>
    private sealed class RecordingVerifier : IHostKeyVerifier
    {
        public List<string> Calls { get; } = [];

        public SshPublicKey? Key { get; private set; }

        public ValueTask VerifyAsync(HostKeyContext context, CancellationToken cancellationToken = default)
        {
            Calls.Add($"verify {context.Host}:{context.Port} {context.Address?.ToString() ?? "no address"}");
            Key = context.Key;
            return ValueTask.CompletedTask;
        }

        public bool WantsHostCertificates(string host, int port, System.Net.IPAddress? address)
        {
            Calls.Add($"certificates? {host}:{port} {address?.ToString() ?? "no address"}");
            return false;
        }
    }

    [Fact]
    public void Algorithm_lists_replace_append_remove_and_prepend_against_the_defaults()
    {
        SshAlgorithms d = SshAlgorithms.Default;
        SshAlgorithms a = Resolve("""
            Ciphers aes256-ctr,aes128-gcm@openssh.com
            MACs +hmac-sha1-96
            KexAlgorithms -*nistp*,sntrup*
            HostKeyAlgorithms ^rsa-sha2-256,ssh-ed25519-cert-v01@openssh.com
            Compression yes
            """).Options.Algorithms;

        Assert.Equal(["aes256-ctr", "aes128-gcm@openssh.com"], a.Ciphers);
        Assert.Equal([.. d.Macs, "hmac-sha1-96"], a.Macs);
        Assert.Equal([.. d.KeyExchange.Where(k => !k.Contains("nistp", StringComparison.Ordinal) && !k.StartsWith("sntrup", StringComparison.Ordinal))], a.KeyExchange);
        Assert.Equal(["rsa-sha2-256", "ssh-ed25519", .. d.HostKey.Where(h => h is not "rsa-sha2-256" and not "ssh-ed25519")], a.HostKey);
        Assert.Equal(["zlib@openssh.com", "zlib", "none"], a.Compression);
    }

    [Fact]
    public void Algorithms_the_code_chose_are_kept_and_unknown_names_are_dropped()
    {
        SshAlgorithms chosen = SshAlgorithms.Default with { Ciphers = ["aes128-ctr"] };
        SshAlgorithms a = Resolve("Ciphers aes256-ctr\nMACs +no-such-mac\n", options: new SshClientOptions { Algorithms = chosen }).Options.Algorithms;
        Assert.Equal(["aes128-ctr"], a.Ciphers);
        Assert.Equal(SshAlgorithms.Default.Macs, a.Macs);

        Assert.Same(SshAlgorithms.Hardened, Resolve("Ciphers aes256-ctr\n", options: new SshClientOptions { Algorithms = SshAlgorithms.Hardened }).Options.Algorithms);
    }

    [Fact]
    public void A_list_of_only_unknown_algorithms_names_its_file_and_line()
    {
        var error = Assert.Throws<SshConfigException>(() => Resolve("Host *\n  Ciphers no-such-cipher\n"));
        Assert.Equal(("test_config", 2), (error.FileName, error.LineNumber));
        Assert.Contains("no-such-cipher", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PubkeyAcceptedAlgorithms_edits_the_certificate_and_plain_defaults()
    {
        IReadOnlyList<string> accepted = Resolve("PubkeyAcceptedAlgorithms -*-cert-v01@openssh.com,ecdsa*\n").Options.PublicKeyAlgorithms!;
        Assert.Equal([.. SshAlgorithms.Default.HostKey.Where(h => !h.StartsWith("ecdsa", StringComparison.Ordinal))], accepted);

        IReadOnlyList<string> plusRsa = Resolve("PubkeyAcceptedKeyTypes +ssh-rsa\n").Options.PublicKeyAlgorithms!;
        Assert.Equal("ssh-rsa", plusRsa[^1]);
        Assert.Contains("ssh-ed25519-cert-v01@openssh.com", plusRsa);
        Assert.Null(Resolve("Port 22\n").Options.PublicKeyAlgorithms);
    }

    [Fact]
    public void Authentication_keywords_make_the_method_list()
    {
        Assert.Equal(["password", "publickey"], Resolve("PreferredAuthentications password,publickey\n").Options.AuthenticationMethods);
        Assert.Equal(["publickey", "keyboard-interactive"], Resolve("PasswordAuthentication no\n").Options.AuthenticationMethods);
        Assert.Equal(["password"], Resolve("PreferredAuthentications keyboard-interactive,password\nKbdInteractiveAuthentication no\n").Options.AuthenticationMethods);
        Assert.Equal(["publickey", "password"], Resolve("ChallengeResponseAuthentication no\n").Options.AuthenticationMethods);
        Assert.Null(Resolve("Port 22\n").Options.AuthenticationMethods);
        Assert.Equal(["publickey"], Resolve("PasswordAuthentication no\n", options: new SshClientOptions { AuthenticationMethods = ["publickey"] }).Options.AuthenticationMethods);
    }

    [Fact]
    public void SendEnv_picks_local_variables_with_removal_and_SetEnv_wins()
    {
        var local = new Dictionary<string, string> { ["LANG"] = "C", ["LC_ALL"] = "C", ["LC_TIME"] = "x", ["HOME"] = "/h", ["XDG"] = "1" };
        Assert.Equal(
            new Dictionary<string, string> { ["LANG"] = "C", ["LC_TIME"] = "x" },
            ConfigEnvironment.Collect(["LANG", "LC_*", "XDG", "-XD*", "-LC_ALL", "LC_TIME"], local).Where(v => v.Key != "LC_ALL").ToDictionary());
        Assert.False(ConfigEnvironment.Collect(["LC_*", "-LC_*"], local).ContainsKey("LC_TIME"));

        SshClientOptions o = Resolve("SetEnv A=1 B=\"two words\"\nSetEnv A=ignored\n").Options;
        Assert.Equal(new Dictionary<string, string> { ["A"] = "1", ["B"] = "two words" }, o.SessionEnvironment);
        var mine = new Dictionary<string, string> { ["MINE"] = "y" };
        Assert.Same(mine, Resolve("SetEnv A=1\n", options: new SshClientOptions { SessionEnvironment = mine }).Options.SessionEnvironment);
    }

    [Fact]
    public void RequestTTY_and_RemoteCommand_set_the_session_defaults()
    {
        SshClientOptions o = Resolve("RequestTTY force\nRemoteCommand tmux attach -t %r\nUser u\n").Options;
        Assert.NotNull(o.SessionTerminal);
        Assert.Equal("tmux attach -t u", o.RemoteCommand);
        Assert.Null(Resolve("RequestTTY no\nRemoteCommand none\n").Options.SessionTerminal);
        Assert.Null(Resolve("RemoteCommand none\n").Options.RemoteCommand);
    }

    [Fact]
    public void RekeyLimit_fills_bytes_and_interval()
    {
        SshClientOptions o = Resolve("RekeyLimit 512M 30m\n").Options;
        Assert.Equal((512L << 20, TimeSpan.FromMinutes(30)), (o.RekeyBytes, o.RekeyInterval));
        SshClientOptions none = Resolve("RekeyLimit default none\n").Options;
        Assert.Equal((0L, TimeSpan.Zero), (none.RekeyBytes, none.RekeyInterval));
        SshClientOptions coded = Resolve("RekeyLimit 1G 1h\n", options: new SshClientOptions { RekeyBytes = 1000, RekeyInterval = TimeSpan.FromMinutes(5) }).Options;
        Assert.Equal((1000L, TimeSpan.FromMinutes(5)), (coded.RekeyBytes, coded.RekeyInterval));

        var error = Assert.Throws<SshConfigException>(() => Resolve("\nRekeyLimit lots\n"));
        Assert.Equal(2, error.LineNumber);
    }

    [Fact]
    public void Forwards_are_parsed_in_ssh_syntax()
    {
        SshConfig config = SshConfig.Parse("""
            LocalForward 8080 localhost:80
            LocalForward [::1]:8081 [2001:db8::1]:443
            LocalForward *:8082 /run/app.sock
            LocalForward /tmp/l.sock db:5432
            RemoteForward 9090 127.0.0.1:22
            RemoteForward /tmp/r.sock /tmp/local.sock
            DynamicForward 127.0.0.1:1080
            """, "test_config");

        Assert.Equal(
            [
                new ConfigForward(ConfigForwardKind.Local, null, 8080, null, "localhost", 80, null, "8080 localhost:80"),
                new ConfigForward(ConfigForwardKind.Local, "::1", 8081, null, "2001:db8::1", 443, null, "[::1]:8081 [2001:db8::1]:443"),
                new ConfigForward(ConfigForwardKind.Local, "*", 8082, null, null, 0, "/run/app.sock", "*:8082 /run/app.sock"),
                new ConfigForward(ConfigForwardKind.Local, null, 0, "/tmp/l.sock", "db", 5432, null, "/tmp/l.sock db:5432"),
                new ConfigForward(ConfigForwardKind.Remote, null, 9090, null, "127.0.0.1", 22, null, "9090 127.0.0.1:22"),
                new ConfigForward(ConfigForwardKind.Remote, null, 0, "/tmp/r.sock", null, 0, "/tmp/local.sock", "/tmp/r.sock /tmp/local.sock"),
                new ConfigForward(ConfigForwardKind.Dynamic, "127.0.0.1", 1080, null, null, 0, null, "127.0.0.1:1080"),
            ],
            ConfigForward.All(config.Resolve("h")));
    }

    [Theory]
    [InlineData("LocalForward 8080", "expected")]
    [InlineData("LocalForward 99999 h:1", "bad listen address")]
    [InlineData("LocalForward 8080 nohostport", "bad destination")]
    [InlineData("RemoteForward 8080", "reverse SOCKS")]
    [InlineData("RemoteForward 8080 /tmp/x.sock", "not supported")]
    public void A_bad_forward_names_its_file_and_line(string line, string problem)
    {
        var error = Assert.Throws<SshConfigException>(() => Resolve("Host *\n" + line + "\n"));
        Assert.Equal(("test_config", 2), (error.FileName, error.LineNumber));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Certificate_files_are_loaded_and_missing_ones_skipped()
    {
        string cert = Path.Combine(_dir, "id-cert.pub");
        SshPrivateKey ca = SshPrivateKey.Generate("ssh-ed25519");
        SshPrivateKey user = SshPrivateKey.Generate("ssh-ed25519");
        File.WriteAllText(cert, new SshCertificateBuilder(user.PublicKey, SshCertificateType.User, "me") { Principals = ["me"] }.Sign(ca).ToOpenSshString() + "\n");
        SshClientOptions o = Resolve($"CertificateFile {cert}\nCertificateFile {_dir}/none-cert.pub\n").Options;
        Assert.Equal(user.PublicKey, Assert.Single(o.Certificates).Key);
    }

    [Fact]
    public void An_unreadable_file_is_a_config_error_naming_it()
    {
        // Reading /proc/self/mem from its start fails with EIO for any user, root included (chmod 000 would not stop root).
        var error = Assert.Throws<SshConfigException>(() => SshConfig.Parse("Include /proc/self/mem\n", "test_config").Resolve("h"));
        Assert.Equal("/proc/self/mem", error.FileName);
        Assert.Contains("/proc/self/mem", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_include_loop_fails_the_connect_with_the_file_and_line_named()
    {
        string file = Path.Combine(_dir, "looping");
        File.WriteAllText(file, $"# loops\nInclude {file}\n");
        var options = new SshClientOptions { Config = SshConfig.Load(file), ConnectTimeout = TestTimeout.Default };
        var error = await Assert.ThrowsAsync<SshConfigException>(() => SshClient.ConnectAsync("anything", 22, options));
        Assert.Equal((file, 2), (error.FileName, error.LineNumber));
        Assert.Contains("Include", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_keywords_are_debug_logged_and_the_rest_still_applies()
    {
        using var log = new LogCollector();
        ConfiguredConnect c = Resolve("GSSAPIAuthentication yes\nPort 2022\n", options: new SshClientOptions { Logger = log.CreateLogger("test") });
        Assert.Equal(2022, c.Port);
        Assert.Contains(log.Lines, e => e.Contains("gssapiauthentication", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("password")]
    [InlineData("keyboard-interactive")]
    public async Task AuthenticationMethods_decide_the_method_tried(string method)
    {
        string? used = null;
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with
        {
            AuthenticationMethods = [method, "publickey"],
            ConnectionEvents = e => used = e is SshAuthenticated a ? a.Method : used,
        };
        await using InMemoryServer pair = await InMemoryServer.StartAsync(client: client);
        Assert.Equal(method, used);
    }

    [Fact]
    public async Task A_method_list_with_nothing_usable_is_refused()
    {
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with { AuthenticationMethods = ["publickey"], LoginTimeout = TestTimeout.Default };
        await using var server = new Rx.Ssh.Testing.InMemorySshServer(InMemoryServer.DefaultServerOptions());
        var denied = await Assert.ThrowsAsync<SshPermissionDeniedException>(() => server.ConnectAsync(client).WaitAsync(TestTimeout.Long));
        Assert.Contains("nothing usable", denied.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicKeyAlgorithms_keep_a_key_of_another_algorithm_from_being_offered()
    {
        SshPrivateKey key = SshPrivateKey.Generate("ssh-ed25519");
        SshServerOptions serverOptions = InMemoryServer.DefaultServerOptions() with
        {
            PasswordValidator = null,
            AuthorizedKeys = _ => AuthorizedKeysFile.Parse(key.PublicKey.ToOpenSshString() + "\n"),
        };
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with { Password = null, Keys = [key], LoginTimeout = TestTimeout.Default };
        await using var server = new Rx.Ssh.Testing.InMemorySshServer(serverOptions);

        await using (SshClientConnection accepted = await server.ConnectAsync(client with { PublicKeyAlgorithms = ["ssh-ed25519"] }).WaitAsync(TestTimeout.Long))
        {
            Assert.Equal("alice", accepted.UserName);
        }

        await Assert.ThrowsAsync<SshPermissionDeniedException>(() => server.ConnectAsync(client with { PublicKeyAlgorithms = ["rsa-sha2-256"] }).WaitAsync(TestTimeout.Long));
    }

    [Fact]
    public void Mapping_without_a_connect_is_pure()
    {
        SshHostConfig config = SshConfig.Parse("User u\n").Resolve("h");
        SshClientOptions before = new() { Config = SshConfig.Empty };
        SshClientOptions after = ClientConfigMapping.Apply(config, before, NullLogger.Instance);
        Assert.Equal("u", after.UserName);
        Assert.Equal(System.Environment.UserName, before.UserName);
    }
}
