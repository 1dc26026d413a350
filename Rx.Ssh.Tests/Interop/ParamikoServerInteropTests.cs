using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// The Rx.Ssh client against Paramiko 2.12's server (Debian's): what <see cref="PythonServerInteropTests"/>
/// checks (2 MiB through <c>cat</c>), and a refused channel type is a typed error while the connection lives on.
/// </summary>
public sealed class ParamikoServerInteropTests : PythonServerInteropTests
{
    private protected override int CatBytes => 2 << 20;

    private protected override Task<PythonSshServer> StartServerAsync() => PythonSshServer.StartParamikoAsync();

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
