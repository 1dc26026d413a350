using System.Reactive.Linq;
using System.Security.Cryptography;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Interop;

/// <summary>Sessions against OpenSSH's sshd: exit status, stderr, events, bulk data, re-keying, host trust.</summary>
[Collection(SshdCollection.Name)]
public sealed class ClientSessionInteropTests
{
    private readonly SshdServer _server;

    public ClientSessionInteropTests(SshdFixture fixture) => _server = fixture.Server;

    [Fact]
    public async Task Exit_status_stdout_and_stderr_come_back()
    {
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        SshCompletedProcess result = await conn.Run("echo out; echo err >&2; exit 3");
        Assert.Equal(3, result.ExitStatus);
        Assert.Equal("out\n", result.Stdout);
        Assert.Equal("err\n", result.Stderr);
    }

    [Fact]
    public async Task Check_raises_a_process_exception_carrying_everything()
    {
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        SshProcessException error = await Assert.ThrowsAsync<SshProcessException>(async () => await conn.Run("ls /does-not-exist", check: true));
        Assert.Equal(2, error.ExitStatus);
        Assert.Contains("does-not-exist", error.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exit_signal_is_reported()
    {
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        SshCompletedProcess result = await conn.Run("kill -TERM $$");
        Assert.Null(result.ExitStatus);
        Assert.Equal("TERM", result.ExitSignal);
    }

    [Fact]
    public async Task Session_events_arrive_in_order_and_complete()
    {
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        IList<SshSessionEvent> events = await conn.Exec("printf hi; exit 4").ToList();
        Assert.Equal("hi", string.Concat(events.OfType<SshDataReceived>().Select(d => d.Text)));
        Assert.Contains(events, e => e is SshEofReceived);
        Assert.Equal(4, events.OfType<SshExitReceived>().Single().Exit.ExitStatus);
        Assert.IsType<SshSessionClosed>(events[^1]);
    }

    [Fact]
    public async Task Environment_variables_are_sent()
    {
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        var options = new SshProcessOptions { Environment = new Dictionary<string, string> { ["LANG"] = "C.UTF-8", ["LC_COLLATE"] = "C" } };
        SshCompletedProcess result = await conn.Run("echo $LANG $LC_COLLATE", options);
        Assert.Equal("C.UTF-8 C\n", result.Stdout);
    }

    [Fact]
    public async Task Many_sessions_share_one_connection()
    {
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        IList<SshCompletedProcess> results = await Enumerable.Range(0, 8).ToObservable()
            .SelectMany(i => conn.Run($"echo {i}"))
            .ToList();
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"{i}\n").Order(), results.Select(r => r.Stdout).Order());
    }

    [Fact]
    public async Task Hundred_megabytes_each_way_with_equal_sha256_and_server_rekeys()
    {
        await using SshdServer server = await SshdServer.StartAsync(new SshdOptions { ExtraLines = ["RekeyLimit 16M"] });
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(server);
        byte[] data = new byte[100 * 1024 * 1024];
        new Random(42).NextBytes(data);
        string expected = Convert.ToHexStringLower(SHA256.HashData(data));
        string file = Path.Combine(server.Directory, "upload.bin");

        SshCompletedProcess upload = await conn.Run($"cat > {file} && sha256sum {file}", new SshProcessOptions { Input = data, Check = true });
        Assert.StartsWith(expected, upload.Stdout, StringComparison.Ordinal);

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long received = 0;
        var stderr = new System.Text.StringBuilder();
        await conn.Exec($"cat {file}").OfType<SshDataReceived>().Do(d =>
        {
            if (d.Stream == SshStandardStream.Stderr)
            {
                stderr.Append(d.Text);
                return;
            }

            hash.AppendData(d.Data.Span);
            received += d.Data.Length;
        }).LastOrDefaultAsync();
        Assert.True(data.Length == received, $"received {received} bytes; stderr: {stderr}");
        Assert.Equal(expected, Convert.ToHexStringLower(hash.GetHashAndReset()));
        Assert.True(conn.Transport.KeyExchangeCount > 2, $"expected re-keys, saw {conn.Transport.KeyExchangeCount} key exchanges");
    }

    [Fact]
    public async Task Client_initiated_rekey_in_the_middle_of_a_transfer()
    {
        await using SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        long received = 0;
        bool rekeyed = false;
        await conn.Exec("head -c 20000000 /dev/zero").OfType<SshDataReceived>().Do(d =>
        {
            received += d.Data.Length;
            if (!rekeyed && received > 1_000_000)
            {
                rekeyed = true;
                conn.Rekey();
            }
        }).LastOrDefaultAsync();
        Assert.Equal(20_000_000, received);
        Assert.True(conn.Transport.KeyExchangeCount >= 2);
        Assert.Equal("still ok\n", (await conn.Run("echo still ok")).Stdout);
    }

    [Fact]
    public async Task Unknown_host_key_fails_with_host_and_fingerprint()
    {
        string empty = Path.Combine(_server.Directory, "empty_known_hosts");
        await File.WriteAllTextAsync(empty, string.Empty);
        SshClientOptions options = ClientInterop.Options(_server) with { HostKeyVerifier = new KnownHostsVerifier(empty) };
        SshHostKeyNotTrustedException error = await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(() => ClientInterop.ConnectAsync(_server, options));
        Assert.Equal(HostKeyTrustFailure.Unknown, error.Failure);
        Assert.Equal(SshdServer.Host, error.Host);
        Assert.StartsWith("SHA256:", error.Fingerprint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Changed_host_key_fails()
    {
        string wrong = Path.Combine(_server.Directory, "wrong_known_hosts");
        string[] otherKey = TestKeys.Ed25519.PublicKeyLine.Split(' ');
        await File.WriteAllTextAsync(wrong, $"[{SshdServer.Host}]:{_server.Port} {otherKey[0]} {otherKey[1]}\n");
        SshClientOptions options = ClientInterop.Options(_server) with { HostKeyVerifier = new KnownHostsVerifier(wrong) };
        SshHostKeyNotTrustedException error = await Assert.ThrowsAsync<SshHostKeyNotTrustedException>(() => ClientInterop.ConnectAsync(_server, options));
        Assert.Equal(HostKeyTrustFailure.Changed, error.Failure);
    }

    [Fact]
    public async Task Wrong_key_is_permission_denied()
    {
        SshClientOptions options = ClientInterop.Options(_server) with { KeyFiles = [], Keys = [SshPrivateKey.Generate("ssh-ed25519")] };
        SshPermissionDeniedException error = await Assert.ThrowsAsync<SshPermissionDeniedException>(() => ClientInterop.ConnectAsync(_server, options));
        Assert.Contains("publickey", error.AllowedMethods);
    }

    [Fact]
    public async Task Wrong_passphrase_is_a_typed_error()
    {
        SshClientOptions options = ClientInterop.Options(_server, TestKeys.Ed25519WithPassphrase) with { Passphrase = "wrong" };
        await Assert.ThrowsAsync<SshKeyPassphraseException>(() => ClientInterop.ConnectAsync(_server, options));
    }

    [Fact]
    public async Task Disposing_the_connection_ends_it_cleanly()
    {
        SshClientConnection conn = await ClientInterop.ConnectAsync(_server);
        await conn.DisposeAsync();
        Assert.Null(await conn.Completion.WaitAsync(TestTimeout.Default));
        await Assert.ThrowsAnyAsync<SshException>(() => conn.RunAsync("true"));
    }
}
