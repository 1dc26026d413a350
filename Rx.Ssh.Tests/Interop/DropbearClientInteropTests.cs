using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using System.Security.Cryptography;
using System.Text;
using Rx.Ssh.Keys;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// Dropbear's dbclient against the Rx.Ssh server: every cipher and MAC dbclient has, every user key
/// type (converted with dropbearconvert), stdin and exit status, a pinned host key. dbclient always
/// sends a guessed first kex packet (RFC 4253 section 7.1), which the server must judge correctly.
/// </summary>
public sealed class DropbearClientInteropTests : IAsyncLifetime
{
    private RxSshServerUnderTest? _server;

    private RxSshServerUnderTest Server => _server!;

    public async Task InitializeAsync() =>
        _server = await RxSshServerUnderTest.StartAsync(new SshServerOptions { ProcessHandler = ServerInteropCommands.HandleAsync });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>The public key lines (<c>type base64</c>) of <paramref name="hostKeys"/>.</summary>
    internal static IReadOnlyList<string> HostKeyLines(IEnumerable<SshPrivateKey> hostKeys) =>
        [.. hostKeys.Select(k => string.Join(' ', k.PublicKey.ToOpenSshString().Split(' ').Take(2)))];

    private async Task<DropbearClient> ClientAsync(TestKey? key = null) => new()
    {
        Port = Server.Port,
        User = RxSshServerUnderTest.UserName,
        IdentityFile = await InteropTools.DropbearKeyAsync(key ?? TestKeys.Ed25519),
        HostKeyLines = HostKeyLines(Server.Options.HostKeys),
    };

    [Theory]
    [InlineData("chacha20-poly1305@openssh.com", null)]
    [InlineData("aes128-ctr", "hmac-sha2-256")]
    [InlineData("aes128-ctr", "hmac-sha1")]
    [InlineData("aes256-ctr", "hmac-sha2-256")]
    [InlineData("aes256-ctr", "hmac-sha1")]
    public async Task Each_dbclient_cipher_and_mac_logs_in(string cipher, string? mac)
    {
        Task<SshServerConnection> accepted = Server.Listener.Connections.FirstAsync().ToTask();
        DropbearClient dbclient = await ClientAsync() with { Cipher = cipher, Mac = mac };
        byte[] input = RandomNumberGenerator.GetBytes(300_000);

        ProcessResult result = await dbclient.RunAsync("sha256", input);

        Assert.True(result.ExitCode == 0, dbclient + "\n" + result);
        Assert.Equal($"{input.Length} {Convert.ToHexStringLower(SHA256.HashData(input))}\n", result.StdoutText);
        SshServerConnection connection = await accepted.WithTimeout();
        Assert.Equal(cipher, connection.Cipher);
        Assert.Equal(mac, connection.Mac);
    }

    [Theory]
    [InlineData(TestKeyType.Ed25519)]
    [InlineData(TestKeyType.Ecdsa256)]
    [InlineData(TestKeyType.Ecdsa384)]
    [InlineData(TestKeyType.Ecdsa521)]
    [InlineData(TestKeyType.Rsa2048)]
    public async Task Each_user_key_type_converted_by_dropbearconvert_logs_in(TestKeyType type)
    {
        DropbearClient dbclient = await ClientAsync(TestKeys.Get(type));

        ProcessResult result = await dbclient.RunAsync("hello");

        Assert.True(result.ExitCode == 0, dbclient + "\n" + result);
        Assert.Equal("hello tester\n", result.StdoutText);
    }

    [Fact]
    public async Task Stdin_stdout_stderr_and_exit_status_come_through()
    {
        DropbearClient dbclient = await ClientAsync();

        ProcessResult lines = await dbclient.RunAsync("lines", Encoding.ASCII.GetBytes("a\nb\nc\n"));
        ProcessResult failing = await dbclient.RunAsync("stderr oops");

        Assert.Equal("3 lines, last=c\n", lines.StdoutText);
        Assert.Equal(3, failing.ExitCode);
        Assert.Equal("out\n", failing.StdoutText);
        Assert.Contains("oops", failing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_key_other_than_the_pinned_one_is_refused()
    {
        DropbearClient dbclient = await ClientAsync() with { HostKeyLines = HostKeyLines([InMemoryServer.HostKey]) };

        ProcessResult result = await dbclient.RunAsync("hello");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(string.Empty, result.StdoutText);
    }
}
