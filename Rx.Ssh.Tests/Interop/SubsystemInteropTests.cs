using System.Security.Cryptography;
using System.Text;
using Rx.Ssh.Tests.External;
using Rx.Ssh.Tests.Infrastructure;
using Xunit;

namespace Rx.Ssh.Tests.Interop;

/// <summary>
/// Subsystems across implementations: our client starts one on OpenSSH's sshd (a <c>Subsystem</c>
/// line running <c>/bin/cat</c>), and OpenSSH's <c>ssh -s</c> starts the external test subsystem on our server.
/// </summary>
public sealed class SubsystemInteropTests
{
    [Fact]
    public async Task Our_client_runs_a_subsystem_on_sshd_with_eof_each_way()
    {
        await using SshdServer server = await SshdServer.StartAsync(new SshdOptions { ExtraLines = ["Subsystem rx-cat /bin/cat"] });
        await using SshClientConnection connection = await ClientInterop.ConnectAsync(server);
        byte[] input = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);

        byte[] output = await SubsystemClient.ExchangeAsync(connection, "rx-cat", input).WaitAsync(TestTimeout.Long);

        Assert.Equal(SHA256.HashData(input), SHA256.HashData(output));
        await Assert.ThrowsAsync<SshChannelRequestException>(() => connection.OpenSubsystemAsync("rx-none", CancellationToken.None).WaitAsync(TestTimeout.Default));
    }

    [Fact]
    public async Task Ssh_starts_a_registered_subsystem_on_our_server()
    {
        await using RxSshServerUnderTest server = await RxSshServerUnderTest.StartAsync(new SshServerOptions
        {
            Subsystems = new Dictionary<string, SshSubsystemHandler> { [UppercaseSubsystem.Name] = UppercaseSubsystem.ServeAsync },
        });

        ProcessResult result = await (server.Client() with { Arguments = ["-s"] }).RunAsync(UppercaseSubsystem.Name, Encoding.UTF8.GetBytes("<rpc>get-config</rpc>\n"));

        Assert.True(result.ExitCode == UppercaseSubsystem.ExitStatus, result.ToString());
        Assert.Equal("<RPC>GET-CONFIG</RPC>\n", result.StdoutText);
    }
}
