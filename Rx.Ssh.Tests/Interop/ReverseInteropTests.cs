using Rx.Ssh.Keys;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Reverse;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// The reverse direction against OpenSSH by plumbing: our ListenReverse client with <c>sshd -i</c>
/// on the socket the test dials in, and OpenSSH's <c>ssh</c> reaching our ConnectReverse server
/// through a <c>ProxyCommand</c> that accepts the connection our server dials (<see cref="CallHomeBridge"/>).
/// </summary>
public sealed class ReverseInteropTests
{
    private static SshClientOptions ClientFor(SshdInetd sshd, TestKey? key = null) => new()
    {
        UserName = SshdServer.UserName,
        KeyFiles = [(key ?? TestKeys.Ed25519).PrivateKeyPath],
        UseDefaultKeys = false,
        HostKeyVerifier = new KnownHostsVerifier(sshd.KnownHostsPath),
    };

    [Fact]
    public async Task Listening_client_runs_commands_on_sshd_in_inetd_mode()
    {
        using SshdInetd sshd = SshdInetd.Create();
        var (listener, first, failed, subscription) = await ReversePair.ListenAsync(ClientFor(sshd));
        await using (listener)
        using (subscription)
        {
            Task<ProcessResult> served = sshd.CallAsync(listener.Port);
            SshClientConnection client = await Task.WhenAny(first, failed).WithTimeout() == first
                ? await first
                : throw new InvalidOperationException("Refused: " + (await failed).Error + "\n" + (served.IsCompleted ? await served : null));
            await using (client)
            {
                SshCompletedProcess result = await client.RunAsync("echo called home; echo err >&2; exit 5").WithTimeout();
                Assert.Equal(("called home\n", "err\n", 5), (result.Stdout, result.Stderr, result.ExitStatus));
            }

            ProcessResult sshdExit = await served;
            Assert.Contains("Accepted publickey for " + SshdServer.UserName, sshdExit.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Listening_client_refuses_sshd_whose_host_key_it_does_not_trust()
    {
        using SshdInetd sshd = SshdInetd.Create();
        File.WriteAllText(sshd.KnownHostsPath, KnownHostsFile.FormatEntry("127.0.0.1", 22, InMemoryServer.HostKey.PublicKey, hashed: false) + "\n");
        var (listener, first, failed, subscription) = await ReversePair.ListenAsync(ClientFor(sshd));
        await using (listener)
        using (subscription)
        {
            Task<ProcessResult> served = sshd.CallAsync(listener.Port);
            SshReversePeerFailure failure = await failed.WithTimeout();
            Assert.IsType<SshHostKeyNotTrustedException>(failure.Error);
            await served; // sshd ends once we have closed the connection
            Assert.False(first.IsCompleted);
        }
    }

    [Fact]
    public async Task Listening_client_whose_key_sshd_does_not_authorize_is_refused()
    {
        using SshdInetd sshd = SshdInetd.Create(authorized: [TestKeys.Ecdsa256]);
        var (listener, first, failed, subscription) = await ReversePair.ListenAsync(ClientFor(sshd, TestKeys.Ed25519));
        await using (listener)
        using (subscription)
        {
            Task<ProcessResult> served = sshd.CallAsync(listener.Port);
            SshReversePeerFailure failure = await failed.WithTimeout();
            Assert.IsType<SshPermissionDeniedException>(failure.Error);
            await served;
            Assert.False(first.IsCompleted);
        }
    }

    private static SshServerOptions ServerFor(TestKey authorized) => ReversePair.EchoServer() with
    {
        PasswordValidator = null,
        PublicKeyValidator = (_, key) => ValueTask.FromResult(key.Equals(SshPublicKey.Load(authorized.PublicKeyPath))),
    };

    /// <summary>ssh, trusting <paramref name="hostKey"/> for 127.0.0.1 (port 22: nothing is dialled by ssh itself), logging in with <paramref name="key"/> through <paramref name="bridge"/>.</summary>
    private static OpenSshClient SshThrough(CallHomeBridge bridge, string directory, SshPublicKey hostKey, TestKey key)
    {
        string knownHosts = Path.Combine(directory, "known_hosts");
        File.WriteAllText(knownHosts, KnownHostsFile.FormatEntry("127.0.0.1", 22, hostKey, hashed: false) + "\n");
        return new OpenSshClient { Port = 22, IdentityFile = key.PrivateKeyPath, KnownHostsFile = knownHosts }.WithOptions(bridge.ProxyCommandOption);
    }

    [Fact]
    public async Task OpenSsh_reaches_the_calling_server_through_a_listening_proxy_command()
    {
        string directory = Directory.CreateTempSubdirectory("rxssh-callhome-").FullName;
        try
        {
            using var bridge = new CallHomeBridge();
            Task<ProcessResult> ssh = SshThrough(bridge, directory, InMemoryServer.HostKey.PublicKey, TestKeys.Ed25519).RunAsync("hello there");
            int port = await bridge.WaitForPortAsync(ssh);

            await using SshServerConnection server = await SshServer.ConnectReverseAsync("127.0.0.1", port, ServerFor(TestKeys.Ed25519)).WithTimeout();
            ProcessResult result = await ssh;

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal("ran hello there\n", result.StdoutText);
            // ssh closes the socket without a DISCONNECT when it is done, as with any server.
            Exception? end = await server.Completion.WithTimeout();
            Assert.True(end is null or SshConnectionException, end?.ToString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task OpenSsh_refuses_the_calling_server_whose_host_key_it_does_not_trust()
    {
        string directory = Directory.CreateTempSubdirectory("rxssh-callhome-").FullName;
        try
        {
            using SshPrivateKey other = SshPrivateKey.Generate("ssh-ed25519");
            using var bridge = new CallHomeBridge();
            Task<ProcessResult> ssh = SshThrough(bridge, directory, other.PublicKey, TestKeys.Ed25519).RunAsync("never");
            int port = await bridge.WaitForPortAsync(ssh);

            await Assert.ThrowsAnyAsync<SshException>(() => SshServer.ConnectReverseAsync("127.0.0.1", port, ServerFor(TestKeys.Ed25519)).WithTimeout());
            ProcessResult result = await ssh;

            Assert.Equal(255, result.ExitCode);
            Assert.Contains("Host key verification failed", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Calling_server_refuses_an_OpenSsh_key_it_does_not_trust()
    {
        string directory = Directory.CreateTempSubdirectory("rxssh-callhome-").FullName;
        try
        {
            using var bridge = new CallHomeBridge();
            Task<ProcessResult> ssh = SshThrough(bridge, directory, InMemoryServer.HostKey.PublicKey, TestKeys.Ed25519).RunAsync("never");
            int port = await bridge.WaitForPortAsync(ssh);

            await Assert.ThrowsAnyAsync<SshException>(() => SshServer.ConnectReverseAsync("127.0.0.1", port, ServerFor(TestKeys.Ecdsa256)).WithTimeout());
            ProcessResult result = await ssh;

            Assert.Equal(255, result.ExitCode);
            Assert.Contains("Permission denied", result.Stderr, StringComparison.Ordinal);
            Assert.Equal("", result.StdoutText);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
