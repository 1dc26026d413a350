using System.Net;
using System.Net.Sockets;
using Rx.Ssh.Keys;
using Rx.Ssh.Testing;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Tests.Keys;

namespace Rx.Ssh.Tests.Client;

/// <summary>
/// The client reads its key files inside the login timeout, within <see cref="SshClientOptions.KeyLoadLimits"/>,
/// and closes the connection it opened when they cannot be read.
/// </summary>
public sealed class ClientKeyLoadingTests : IDisposable
{
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), "rxssh-clientkey-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(_keyFile);

    private SshClientOptions Options(string keyFileText, SshKeyLoadLimits? limits = null, TimeSpan? loginTimeout = null)
    {
        File.WriteAllText(_keyFile, keyFileText);
        return InMemoryServer.DefaultClientOptions() with
        {
            KeyFiles = [_keyFile],
            Passphrase = HostileKeyFiles.Passphrase,
            KeyLoadLimits = limits ?? SshKeyLoadLimits.Default,
            LoginTimeout = loginTimeout ?? TestTimeout.Default,
        };
    }

    [Fact]
    public async Task Key_file_that_fails_to_load_closes_the_tcp_connection()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        SshClientOptions options = Options("-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5\n-----END OPENSSH PRIVATE KEY-----\n");

        Task<SshClientConnection> connect = SshClient.ConnectAsync("127.0.0.1", port, options);
        using Socket accepted = await listener.AcceptSocketAsync().WaitAsync(TestTimeout.Default);

        var error = await Assert.ThrowsAsync<SshKeyFormatException>(() => connect.WaitAsync(TestTimeout.Default));
        Assert.Contains(_keyFile, error.Message, StringComparison.Ordinal);

        // The client closed its socket: the server reads end of stream (nothing was sent).
        byte[] buffer = new byte[64];
        int read = await accepted.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(TestTimeout.Default);
        Assert.Equal(0, read);
    }

    [Fact]
    public async Task Keys_the_caller_gave_stay_usable_after_the_connect()
    {
        // The client clears only the keys it read from files; the caller's keys are the caller's.
        using SshPrivateKey key = SshPrivateKey.Generate("ssh-ed25519");
        SshServerOptions server = InMemoryServer.DefaultServerOptions() with
        {
            PublicKeyValidator = (context, offered) => ValueTask.FromResult(offered.Equals(key.PublicKey)),
        };
        SshClientOptions client = InMemoryServer.DefaultClientOptions() with { Keys = [key], Password = null };

        await using (InMemoryServer pair = await InMemoryServer.StartAsync(server, client))
        {
            Assert.Equal("alice", pair.Server.UserName);
        }

        Assert.True(key.PublicKey.VerifySignature("data"u8, key.Sign("ssh-ed25519", "data"u8)));
    }

    [Fact]
    public async Task Key_file_over_the_limits_fails_the_connect_at_once_and_closes_the_stream()
    {
        (Stream clientStream, Stream serverStream) = InMemoryStream.CreatePair();
        SshClientOptions options = Options(HostileKeyFiles.OpenSshWithRounds(1 << 20));

        var error = await Assert.ThrowsAsync<SshKeyLimitException>(() => SshClient.ConnectAsync(clientStream, "in-memory", 22, options).WaitAsync(TestTimeout.Default));

        Assert.Equal("bcrypt rounds", error.Parameter);
        Assert.Equal(0, await serverStream.ReadAsync(new byte[64]).AsTask().WaitAsync(TestTimeout.Default));
    }

    [Fact]
    public async Task Slow_key_file_is_stopped_by_the_login_timeout()
    {
        // Within raised limits, but hours of bcrypt: the login timeout must still end the connect.
        (Stream clientStream, Stream serverStream) = InMemoryStream.CreatePair();
        SshClientOptions options = Options(
            HostileKeyFiles.OpenSshWithRounds(1 << 20),
            new SshKeyLoadLimits { MaxBcryptRounds = 1 << 20 },
            TimeSpan.FromMilliseconds(200));

        var error = await Assert.ThrowsAsync<SshConnectionException>(() => Task.Run(() => SshClient.ConnectAsync(clientStream, "in-memory", 22, options)).WaitAsync(TestTimeout.Default));

        Assert.Contains("login timed out", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await serverStream.ReadAsync(new byte[64]).AsTask().WaitAsync(TestTimeout.Default));
    }

    [Fact]
    public async Task Slow_key_file_is_stopped_by_the_callers_token()
    {
        (Stream clientStream, _) = InMemoryStream.CreatePair();
        SshClientOptions options = Options(HostileKeyFiles.OpenSshWithRounds(1 << 20), new SshKeyLoadLimits { MaxBcryptRounds = 1 << 20 });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Run(() => SshClient.ConnectAsync(clientStream, "in-memory", 22, options, cts.Token)).WaitAsync(TestTimeout.Default));
    }
}
