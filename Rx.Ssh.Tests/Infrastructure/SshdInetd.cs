using System.Net;
using System.Net.Sockets;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// OpenSSH's sshd in inetd mode (<c>sshd -i -e -f config</c>): one connection on its stdin and
/// stdout, which <see cref="CallAsync"/> joins to a TCP connection the test opens, so sshd plays
/// the SSH server of a reverse (call home) connection. Config and authorized_keys as
/// <see cref="SshdServer"/> writes them, in a temp directory removed on dispose.
/// </summary>
internal sealed class SshdInetd : IDisposable
{
    private SshdInetd(string directory, IReadOnlyList<TestKey> hostKeys)
    {
        Directory = directory;
        HostKeys = hostKeys;
    }

    public string Directory { get; }

    public IReadOnlyList<TestKey> HostKeys { get; }

    public string ConfigPath => Path.Combine(Directory, "sshd_config");

    /// <summary>
    /// A known_hosts file trusting sshd's host keys for 127.0.0.1 without a port: how a reverse
    /// listener checks a caller (by its address, port 22).
    /// </summary>
    public string KnownHostsPath => Path.Combine(Directory, "known_hosts");

    /// <summary>Writes the config (the <c>Port</c> line is unused in inetd mode), authorized_keys listing <paramref name="authorized"/> (all test keys when null) and known_hosts.</summary>
    public static SshdInetd Create(IReadOnlyList<TestKey>? authorized = null)
    {
        SshdServer.EnsurePrivilegeSeparationDirectory();
        string directory = System.IO.Directory.CreateTempSubdirectory("rxssh-sshd-i-").FullName;
        var sshd = new SshdInetd(directory, Infrastructure.HostKeys.Default);
        string authorizedKeys = Path.Combine(directory, "authorized_keys");
        File.WriteAllText(authorizedKeys, TestKeys.AuthorizedKeysText(authorized));
        File.WriteAllText(sshd.KnownHostsPath, TestKeys.KnownHostsText(22, sshd.HostKeys));
        File.WriteAllText(sshd.ConfigPath, SshdConfig.Render(SshdOptions.Default, 22, sshd.HostKeys.Select(k => k.PrivateKeyPath), authorizedKeys, Path.Combine(directory, "sshd.pid")));
        return sshd;
    }

    /// <summary>
    /// Calls 127.0.0.1:<paramref name="port"/> and runs <c>sshd -i</c> on that connection (socket to its
    /// stdin, its stdout to the socket) until sshd exits; then closes the socket. Returns sshd's exit and log.
    /// </summary>
    public async Task<ProcessResult> CallAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, port).WithTimeout();
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        return await ProcessRunner.RunAsync(
            ProcessRunner.CreateStartInfo(SshdServer.SshdPath, ["-i", "-e", "-f", ConfigPath]), stream, stream, TestTimeout.Default);
    }

    public void Dispose() => KeyCache.TryDelete(Directory);
}
