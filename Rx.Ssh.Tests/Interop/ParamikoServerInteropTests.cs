using System.Security.Cryptography;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// The Rx.Ssh client against Paramiko 2.12's server (Debian's, started by each test on a free port):
/// every user key type logs in (RSA with rsa-sha2-256/512 signatures), a command's stdout, stderr and
/// exit status come back, 2 MiB through <c>cat</c> both ways with equal sha256, and a refused channel
/// type is a typed error while the connection lives on.
/// </summary>
public sealed class ParamikoServerInteropTests : IAsyncLifetime
{
    private PythonSshServer? _server;

    private PythonSshServer Server => _server!;

    public async Task InitializeAsync() => _server = await PythonSshServer.StartParamikoAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private async Task<SshClientConnection> ConnectAsync(TestKey? key = null)
    {
        try
        {
            return await SshClient.ConnectAsync("127.0.0.1", Server.Port, new SshClientOptions
            {
                UserName = Environment.UserName,
                KeyFiles = [(key ?? TestKeys.Ed25519).PrivateKeyPath],
                UseDefaultKeys = false,
                HostKeyVerifier = new KnownHostsVerifier(Server.KnownHostsPath),
                LoginTimeout = TestTimeout.Long,
            }).WaitAsync(TestTimeout.Long);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException("connecting to " + Server + " failed; its log:\n" + Server.Log.Text, ex);
        }
    }

    [Theory]
    [InlineData(TestKeyType.Ed25519)]
    [InlineData(TestKeyType.Ecdsa256)]
    [InlineData(TestKeyType.Ecdsa384)]
    [InlineData(TestKeyType.Ecdsa521)]
    [InlineData(TestKeyType.Rsa2048)]
    public async Task Each_user_key_type_runs_a_command(TestKeyType type)
    {
        await using SshClientConnection connection = await ConnectAsync(TestKeys.Get(type));

        SshCompletedProcess result = await connection.Run("hello there").WithTimeout(TestTimeout.Long);

        Assert.Equal("paramiko ran hello there\n", result.Stdout);
        Assert.Equal("to stderr\n", result.Stderr);
        Assert.Equal(5, result.ExitStatus);
    }

    [Fact]
    public async Task Two_mebibytes_through_cat_come_back_equal()
    {
        await using SshClientConnection connection = await ConnectAsync();
        byte[] input = RandomNumberGenerator.GetBytes(2 << 20);

        await using SshClientProcess cat = await connection.CreateProcessAsync("cat").WithTimeout();
        using var output = new MemoryStream();
        Task reading = cat.Stdout.CopyToAsync(output);
        await cat.Stdin.WriteAsync(input).WithTimeout(TestTimeout.Long);
        await cat.Stdin.CloseAsync().WithTimeout();
        await reading.WithTimeout(TestTimeout.Long);

        Assert.Equal(SHA256.HashData(input), SHA256.HashData(output.ToArray()));
        Assert.Equal(0, (await cat.WaitForExitAsync().WithTimeout()).ExitStatus);
    }

    [Fact]
    public async Task A_refused_channel_type_is_a_typed_error_and_the_connection_lives_on()
    {
        await using SshClientConnection connection = await ConnectAsync();

        SshChannelOpenException refused = await Assert.ThrowsAsync<SshChannelOpenException>(
            () => connection.OpenDirectTcpAsync("127.0.0.1", 9)).WithTimeout();

        Assert.Equal(ChannelOpenFailureReason.AdministrativelyProhibited, refused.Reason);
        Assert.Equal("paramiko ran still here\n", (await connection.Run("still here").WithTimeout(TestTimeout.Long)).Stdout);
    }
}
