using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Interop;

/// <summary>Helpers for connecting the Rx.Ssh client to a test sshd.</summary>
internal static class ClientInterop
{
    public static SshClientOptions Options(SshdServer server, TestKey? key = null) => new()
    {
        UserName = SshdServer.UserName,
        KeyFiles = [(key ?? TestKeys.Ed25519).PrivateKeyPath],
        Passphrase = key?.Passphrase,
        UseDefaultKeys = false,
        HostKeyVerifier = new KnownHostsVerifier(server.KnownHostsPath),
        LoginTimeout = TestTimeout.Long,
    };

    public static Task<SshClientConnection> ConnectAsync(SshdServer server, SshClientOptions? options = null) =>
        SshClient.ConnectAsync(SshdServer.Host, server.Port, options ?? Options(server)).WaitAsync(TestTimeout.Long);
}
