using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Rx.Ssh.Keys;
using Rx.Ssh.Samples.Serve;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// Python's two SSH libraries as clients of the serve sample (in-process, free loopback port, its
/// default hardened algorithms, SFTP rooted at a temporary directory): Paramiko 2.12 and AsyncSSH 2.10
/// (Debian's) log in with each user key type (AsyncSSH also with a certificate, and with an agent's key,
/// forwarding the agent), run a command (stdout,
/// stderr and exit status; AsyncSSH also on a pty with its environment), use SFTP
/// (put, stat, mkdir, rename, list, glob, get with equal sha256, remove, a typed "no such file"; both also
/// posix-rename, symlink/readlink, chmod, utime, truncate; AsyncSSH also hardlink, realpath, statvfs/fstatvfs, fsync),
/// AsyncSSH copies a tree with SCP both ways (times kept), forwards a local port (and sees a refused
/// destination's reason) and a remote one (port 0, the port read back, unbound on cancel). Every AsyncSSH key
/// exchange, cipher and MAC that we also have is forced once against serve with the compatible profile.
/// </summary>
public sealed class PythonClientInteropTests : IAsyncLifetime
{
    private const string Command = "echo hello from sh; echo to stderr >&2; exit 4";
    private readonly SshPrivateKey _hostKey = SshPrivateKey.Generate("ssh-ed25519");
    private readonly string _directory = Directory.CreateTempSubdirectory("rxssh-python-serve-").FullName;
    private SshListener? _serve;

    private SshListener Serve => _serve!;

    private string Root => Path.Combine(_directory, "root");

    private string KnownHosts => Path.Combine(_directory, "known_hosts");

    public async Task InitializeAsync() => _serve = await StartServeAsync(SshAlgorithms.Hardened);

    public async Task DisposeAsync()
    {
        if (_serve is not null)
        {
            await _serve.DisconnectAllAsync().WithTimeout();
            await _serve.DisposeAsync();
        }

        _hostKey.Dispose();
        KeyCache.TryDelete(_directory);
    }

    private async Task<SshListener> StartServeAsync(SshAlgorithms algorithms, LogCollector? logs = null, string? authorizedKeys = null)
    {
        Directory.CreateDirectory(Root);
        SshListener serve = await ServeServer.StartAsync(new ServeSettings
        {
            Port = 0,
            HostKeys = [_hostKey],
            AuthorizedKeys = AuthorizedKeysFile.Parse(authorizedKeys ?? TestKeys.AuthorizedKeysText(TestKeys.Unencrypted)),
            Root = Root,
            Algorithms = algorithms,
            Loggers = logs ?? (Microsoft.Extensions.Logging.ILoggerFactory)Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
        }).WithTimeout();
        await File.WriteAllTextAsync(KnownHosts, $"[127.0.0.1]:{serve.Port} {_hostKey.PublicKey.ToOpenSshString()}\n");
        return serve;
    }

    /// <summary>The scripts' first arguments: port, user, <paramref name="key"/> (a key file, or what the mode takes in its place), known_hosts.</summary>
    private string[] Login(SshListener serve, string key) =>
        [serve.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Environment.UserName, key, KnownHosts];

    private string[] Login(SshListener serve, TestKey key) => Login(serve, key.PrivateKeyPath);

    private static void AssertCommandRan(JsonElement result)
    {
        Assert.Equal("hello from sh\n", result.Text("stdout"));
        Assert.Equal("to stderr\n", result.Text("stderr"));
        Assert.Equal(4, result.Number("status"));
    }

    [Theory]
    [InlineData(TestKeyType.Ed25519)]
    [InlineData(TestKeyType.Ecdsa256)]
    [InlineData(TestKeyType.Rsa2048)]
    public async Task Paramiko_runs_a_command_on_serve(TestKeyType type)
    {
        JsonElement result = await PythonSsh.RunAsync("paramiko", "paramiko_client.py", ["exec", .. Login(Serve, TestKeys.Get(type)), Command]);

        AssertCommandRan(result);
        Assert.Equal("aes128-ctr", result.Text("cipher")); // Paramiko 2.12 has neither AES-GCM nor ChaCha20
        Assert.Equal("hmac-sha2-256-etm@openssh.com", result.Text("mac"));
    }

    [Theory]
    [InlineData(TestKeyType.Ed25519)]
    [InlineData(TestKeyType.Ecdsa256)]
    [InlineData(TestKeyType.Rsa2048)]
    public async Task Asyncssh_runs_a_command_on_serve(TestKeyType type)
    {
        JsonElement result = await PythonSsh.RunAsync("asyncssh", "asyncssh_client.py", ["exec", .. Login(Serve, TestKeys.Get(type)), Command]);

        AssertCommandRan(result);
        Assert.Equal("chacha20-poly1305@openssh.com", result.Text("cipher"));
    }

    [Fact]
    public async Task Asyncssh_runs_a_command_on_a_pty_with_its_environment_on_serve()
    {
        JsonElement result = await PythonSsh.RunAsync(
            "asyncssh", "asyncssh_client.py", ["pty", .. Login(Serve, TestKeys.Ed25519), "tty >/dev/null && echo tty; echo $TERM; stty size; echo $RXSSH_TEST"]);

        Assert.Equal("tty\r\nxterm-256color\r\n40 100\r\nasyncssh\r\n", result.Text("stdout"));
        Assert.Equal(0, result.Number("status"));
    }

    [Fact]
    public async Task Asyncssh_logs_in_to_serve_with_a_certificate_from_a_trusted_authority()
    {
        using SshPrivateKey ca = SshPrivateKey.Generate("ssh-ed25519");
        using SshPrivateKey key = SshPrivateKey.Generate("ecdsa-sha2-nistp256");
        string keyPath = Path.Combine(_directory, "id_cert");
        key.Save(keyPath);
        SshCertificate certificate = new SshCertificateBuilder(key.PublicKey, SshCertificateType.User, "asyncssh-interop")
        {
            Principals = [Environment.UserName],
            ValidAfter = DateTimeOffset.UtcNow.AddMinutes(-5),
            ValidBefore = DateTimeOffset.UtcNow.AddHours(1),
        }.Sign(ca);
        await File.WriteAllTextAsync(keyPath + "-cert.pub", certificate.ToOpenSshString() + "\n");
        await using SshListener serve = await StartServeAsync(SshAlgorithms.Hardened, authorizedKeys: "cert-authority " + ca.PublicKey.ToOpenSshString() + "\n");
        JsonElement result = await PythonSsh.RunAsync("asyncssh", "asyncssh_client.py", ["cert", .. Login(serve, keyPath), "echo certified", keyPath + "-cert.pub"]);
        await serve.DisconnectAllAsync().WithTimeout();

        Assert.Equal("certified\n", result.Text("stdout"));
        Assert.Equal(0, result.Number("status"));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Asyncssh_logs_in_with_an_agent_key_and_forwards_the_agent_to_serve()
    {
        await using Agent.OpenSshAgent agent = await Agent.OpenSshAgent.StartAsync();
        await agent.SshAddAsync(TestKeys.Ecdsa256.PrivateKeyPath);
        JsonElement result = await PythonSsh.RunAsync("asyncssh", "asyncssh_client.py", ["agent", .. Login(Serve, agent.SocketPath), "ssh-add -l"]);

        // serve gave the session an agent socket that reaches the agent on this side, through AsyncSSH.
        Assert.Contains(SshPublicKey.Parse(TestKeys.Ecdsa256.PublicKeyLine).GetFingerprint(), result.Text("stdout"), StringComparison.Ordinal);
        Assert.Equal(0, result.Number("status"));
    }

    [Fact]
    public async Task Paramiko_sftp_works_on_serve()
    {
        JsonElement result = await AssertSftpRoundTripAsync("paramiko", "paramiko_client.py", 3_000_000);

        Assert.Equal(["moved.bin"], result.Texts("names"));
        Assert.Equal("FileNotFoundError", result.Text("missing"));
        Assert.Equal("/", result.Text("cwd"));
        Assert.Equal("renamed.bin", result.Text("readlink")); // Paramiko sends OpenSSH's SYMLINK order, as serve expects from it
        Assert.Equal(3_000_000, result.Number("link_size"));
    }

    [Fact]
    public async Task Asyncssh_sftp_works_on_serve()
    {
        JsonElement result = await AssertSftpRoundTripAsync("asyncssh", "asyncssh_client.py", 8_000_000);

        Assert.Equal(["/a/b/moved.bin"], result.Texts("glob"));
        Assert.Equal("SFTPNoSuchFile", result.Text("missing"));
        Assert.Equal("renamed.bin", result.Text("readlink")); // SYMLINK in the draft's order, as AsyncSSH sends it to us
        Assert.Equal("/a/b/renamed.bin", result.Text("realpath"));
        Assert.Equal(8_000_000, result.Number("hard_size"));
        Assert.True(result.GetProperty("statvfs").GetBoolean());
        Assert.True(result.GetProperty("fstatvfs").GetBoolean());
    }

    [Fact]
    public async Task Asyncssh_scp_copies_a_tree_to_serve_and_back_with_times_kept()
    {
        ScpTestTree tree = await ScpTestTree.CreateAsync(_directory, 2_000_000, new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        string back = Directory.CreateDirectory(Path.Combine(_directory, "back")).FullName;

        JsonElement result = await PythonSsh.RunAsync("asyncssh", "asyncssh_client.py", ["scp", .. Login(Serve, TestKeys.Ed25519), tree.Path, back]);

        await tree.AssertCopyAsync(Path.Combine(Root, "tree"));
        await tree.AssertCopyAsync(Path.Combine(back, "tree"));

        Assert.Equal("SFTPFailure: scp: /missing: No such file or directory", result.Text("missing"));
    }

    [Fact]
    public async Task Asyncssh_forwards_a_local_port_through_serve()
    {
        JsonElement result = await ForwardThroughServeAsync("forward", Serve);

        Assert.Equal("PING THROUGH ASYNCSSH", result.Text("echo"));
        Assert.StartsWith("2 ", result.Text("refused"), StringComparison.Ordinal); // SSH_OPEN_CONNECT_FAILED, with serve's reason
        Assert.Contains("127.0.0.1:1", result.Text("refused"), StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Asyncssh_forwards_a_remote_port_through_serve()
    {
        using var logs = new LogCollector(SshLogEvents.Forwarding.StoppedListening);
        await using SshListener serve = await StartServeAsync(SshAlgorithms.Hardened, logs);
        JsonElement result = await ForwardThroughServeAsync("rforward", serve);

        Assert.Equal("PING THROUGH ASYNCSSH", result.Text("echo"));
        int port = (int)result.Number("port");
        Assert.InRange(port, 1, 65535); // serve bound a port of its choosing and replied with it
        await logs.WaitForAsync(SshLogEvents.Forwarding.StoppedListening).WithTimeout();
        Assert.False(ListeningSockets.HeldByThisProcess(port), "serve still listens after the cancel");
        await serve.DisconnectAllAsync().WithTimeout();
    }

    [Theory]
    [InlineData("curve25519-sha256", "-", "-")]
    [InlineData("curve25519-sha256@libssh.org", "-", "-")]
    [InlineData("ecdh-sha2-nistp256", "-", "-")]
    [InlineData("ecdh-sha2-nistp384", "-", "-")]
    [InlineData("ecdh-sha2-nistp521", "-", "-")]
    [InlineData("diffie-hellman-group-exchange-sha256", "-", "-")]
    [InlineData("diffie-hellman-group14-sha256", "-", "-")]
    [InlineData("diffie-hellman-group16-sha512", "-", "-")]
    [InlineData("diffie-hellman-group18-sha512", "-", "-")]
    [InlineData("-", "chacha20-poly1305@openssh.com", "-")]
    [InlineData("-", "aes128-gcm@openssh.com", "-")]
    [InlineData("-", "aes256-gcm@openssh.com", "-")]
    [InlineData("-", "aes128-ctr", "hmac-sha2-256-etm@openssh.com")]
    [InlineData("-", "aes192-ctr", "hmac-sha2-512-etm@openssh.com")]
    [InlineData("-", "aes256-ctr", "hmac-sha1-etm@openssh.com")]
    [InlineData("-", "aes128-ctr", "umac-64-etm@openssh.com")]
    [InlineData("-", "aes128-ctr", "umac-128-etm@openssh.com")]
    [InlineData("-", "aes128-ctr", "umac-64@openssh.com")]
    [InlineData("-", "aes128-ctr", "umac-128@openssh.com")]
    [InlineData("-", "aes128-ctr", "hmac-sha2-256")]
    [InlineData("-", "aes128-ctr", "hmac-sha2-512")]
    [InlineData("-", "aes128-ctr", "hmac-sha1")]
    public async Task Each_asyncssh_algorithm_we_share_works_with_serve_compatible(string kex, string cipher, string mac)
    {
        await using SshListener compatible = await StartServeAsync(SshAlgorithms.Default);

        JsonElement result = await PythonSsh.RunAsync("asyncssh", "asyncssh_client.py", ["exec", .. Login(compatible, TestKeys.Ed25519), Command, kex, cipher, mac]);
        await compatible.DisconnectAllAsync().WithTimeout();

        AssertCommandRan(result);
        if (cipher != "-")
        {
            Assert.Equal(cipher, result.Text("cipher"));
        }

        if (mac != "-")
        {
            Assert.Equal(mac, result.Text("mac"));
        }
    }

    /// <summary>
    /// Runs the script's sftp mode against serve with a random file of <paramref name="length"/> bytes
    /// and checks what both scripts do: the upload's size and sha256, the file got back whole, chmod
    /// 0640, truncate to 4 and utime kept, and serve's root left empty. Returns the rest for the caller.
    /// </summary>
    private async Task<JsonElement> AssertSftpRoundTripAsync(string module, string script, int length)
    {
        (string local, byte[] content) = await LocalFileAsync(length);
        string back = Path.Combine(_directory, "back.bin");

        JsonElement result = await PythonSsh.RunAsync(module, script, ["sftp", .. Login(Serve, TestKeys.Ed25519), local, back]);

        Assert.Equal(content.Length, result.Number("size"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), result.Text("sha256"));
        Assert.Equal(content, await File.ReadAllBytesAsync(back));
        Assert.Equal(0b110_100_000, result.Number("mode"));
        Assert.Equal(1_000_000_000, result.Number("mtime"));
        Assert.Equal(4, result.Number("truncated"));
        Assert.Empty(result.Texts("root"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Root));
        return result;
    }

    private async Task<(string Path, byte[] Content)> LocalFileAsync(int length)
    {
        byte[] content = RandomNumberGenerator.GetBytes(length);
        string path = Path.Combine(_directory, "local.bin");
        await File.WriteAllBytesAsync(path, content);
        return (path, content);
    }

    /// <summary>
    /// Runs asyncssh_client.py's <paramref name="mode"/> (forward or rforward) against <paramref name="serve"/>
    /// with a local destination that answers in upper case; checks the destination got the script's text.
    /// </summary>
    private async Task<JsonElement> ForwardThroughServeAsync(string mode, SshListener serve)
    {
        using var destination = new TcpListener(IPAddress.Loopback, 0);
        destination.Start();
        Task<string> served = UppercaseOnceAsync(destination);
        string port = ((IPEndPoint)destination.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        JsonElement result = await PythonSsh.RunAsync("asyncssh", "asyncssh_client.py", [mode, .. Login(serve, TestKeys.Ed25519), port]);

        Assert.Equal("ping through asyncssh", await served.WithTimeout());
        return result;
    }

    /// <summary>Accepts one connection, reads it to EOF, answers in upper case and closes; returns what it read.</summary>
    private static async Task<string> UppercaseOnceAsync(TcpListener listener)
    {
        using TcpClient client = await listener.AcceptTcpClientAsync();
        NetworkStream stream = client.GetStream();
        using var received = new MemoryStream();
        await stream.CopyToAsync(received);
        string text = System.Text.Encoding.ASCII.GetString(received.ToArray());
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(text.ToUpperInvariant()));
        client.Client.Shutdown(SocketShutdown.Send);
        return text;
    }
}
