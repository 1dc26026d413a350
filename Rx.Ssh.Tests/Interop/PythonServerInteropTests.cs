using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// What the Rx.Ssh client checks against each Python server (<see cref="PythonSshServer"/>, started
/// by each test on a free port): every user key type logs in (RSA with rsa-sha2-256/512 signatures)
/// and a command's stdout, stderr and exit status come back; bytes through the server's <c>cat</c>
/// both ways with equal sha256. Each server's class adds what only it has.
/// </summary>
public abstract class PythonServerInteropTests : IAsyncLifetime
{
    private PythonSshServer? _server;

    private protected PythonSshServer Server => _server!;

    /// <summary>How much goes through <c>cat</c>.</summary>
    private protected abstract int CatBytes { get; }

    private protected abstract Task<PythonSshServer> StartServerAsync();

    public async Task InitializeAsync() => _server = await StartServerAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private protected Task<SshClientConnection> ConnectAsync(TestKey? key = null, SshAlgorithms? algorithms = null) => Server.ConnectAsync(key, algorithms);

    [Theory]
    [InlineData(TestKeyType.Ed25519)]
    [InlineData(TestKeyType.Ecdsa256)]
    [InlineData(TestKeyType.Ecdsa384)]
    [InlineData(TestKeyType.Ecdsa521)]
    [InlineData(TestKeyType.Rsa2048)]
    public async Task Each_user_key_type_runs_a_command(TestKeyType type) => await Server.AssertRunsACommandAsync(TestKeys.Get(type));

    [Fact]
    public async Task Bytes_through_cat_come_back_equal()
    {
        await using SshClientConnection connection = await ConnectAsync();

        await PythonSshServer.AssertCatRoundTripAsync(connection, CatBytes);
    }
}
