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

    private Task<SshClientConnection> ConnectAsync(TestKey? key = null, SshAlgorithms? algorithms = null) => Server.ConnectAsync(key, algorithms);

    [Theory]
    [InlineData(TestKeyType.Ed25519)]
    [InlineData(TestKeyType.Ecdsa256)]
    [InlineData(TestKeyType.Ecdsa384)]
    [InlineData(TestKeyType.Ecdsa521)]
    [InlineData(TestKeyType.Rsa2048)]
    public async Task Each_user_key_type_runs_a_command(TestKeyType type)
    {
        await Server.AssertRunsACommandAsync(TestKeys.Get(type));
    }

    [Fact]
    public async Task Two_mebibytes_through_cat_come_back_equal()
    {
        await using SshClientConnection connection = await ConnectAsync();

        await PythonSshServer.AssertCatRoundTripAsync(connection, 2 << 20);
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
