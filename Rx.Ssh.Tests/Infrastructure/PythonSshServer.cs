using System.Globalization;
using System.Security.Cryptography;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// A Python SSH server on 127.0.0.1 and a port it picks: AsyncSSH's (<c>Interop/Python/asyncssh_server.py</c>:
/// exec handlers of its own, its SFTP server chrooted to <see cref="SftpRoot"/>, direct-tcpip allowed)
/// or Paramiko's (<c>paramiko_server.py</c>: exec handlers only). Both have <see cref="TestKeys.Ed25519"/>
/// as their host key and every unencrypted <see cref="TestKeys"/> key authorized. Disposing stops
/// the process by its PID and removes its directory.
/// </summary>
internal sealed class PythonSshServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly LoggedDaemon _daemon;
    private readonly string _name;
    private readonly int _commandStatus;

    private PythonSshServer(string name, int commandStatus, string directory, LoggedDaemon daemon, SshdLog log)
    {
        _name = name;
        _commandStatus = commandStatus;
        _directory = directory;
        _daemon = daemon;
        Log = log;
        SftpRoot = Path.Combine(directory, "sftp");
        KnownHostsPath = Path.Combine(directory, "known_hosts");
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; private set; }

    /// <summary>The directory AsyncSSH's SFTP server shows as <c>/</c>.</summary>
    public string SftpRoot { get; }

    /// <summary>An OpenSSH known_hosts file trusting its host key for <c>[127.0.0.1]:port</c>.</summary>
    public string KnownHostsPath { get; }

    /// <summary>Its stderr (tracebacks, if any).</summary>
    public SshdLog Log { get; }

    /// <summary>Starts AsyncSSH's server.</summary>
    /// <param name="hostCertificate">An OpenSSH host certificate for its host key that it presents as well; none when null.</param>
    public static Task<PythonSshServer> StartAsyncsshAsync(string? hostCertificate = null) =>
        StartAsync("asyncssh", "asyncssh_server.py", commandStatus: 3, sftp: true, hostCertificate);

    /// <summary>Starts Paramiko's server.</summary>
    public static Task<PythonSshServer> StartParamikoAsync() => StartAsync("paramiko", "paramiko_server.py", commandStatus: 5, sftp: false);

    /// <param name="module">The Python module, also the first word of what its exec handler prints.</param>
    /// <param name="script">The server script in <c>Interop/Python</c>.</param>
    /// <param name="commandStatus">The exit status the script gives a command other than its own ones.</param>
    /// <param name="sftp">Whether the script takes an SFTP root.</param>
    /// <param name="hostCertificate">A host certificate for the script to present; none when null.</param>
    private static async Task<PythonSshServer> StartAsync(string module, string script, int commandStatus, bool sftp, string? hostCertificate = null)
    {
        PythonSsh.Require(module);
        string directory = Directory.CreateTempSubdirectory($"rxssh-{module}-").FullName;
        string authorized = Path.Combine(directory, "authorized_keys");
        await File.WriteAllTextAsync(authorized, TestKeys.AuthorizedKeysText(TestKeys.Unencrypted));
        string sftpRoot = Directory.CreateDirectory(Path.Combine(directory, "sftp")).FullName;
        var log = new SshdLog();
        string[] arguments = sftp
            ? [TestKeys.Ed25519.PrivateKeyPath, authorized, sftpRoot, .. hostCertificate is null ? Array.Empty<string>() : [hostCertificate]]
            : [TestKeys.Ed25519.PrivateKeyPath, authorized];
        LoggedDaemon daemon = LoggedDaemon.Start(PythonSsh.StartInfo(script, arguments, directory), log);
        var server = new PythonSshServer(module, commandStatus, directory, daemon, log);
        try
        {
            string line = await log.WaitForLineAsync("listening on ", TestTimeout.Long);
            server.Port = int.Parse(line["listening on ".Length..], CultureInfo.InvariantCulture);
            await File.WriteAllTextAsync(server.KnownHostsPath, TestKeys.KnownHostsText(server.Port, [TestKeys.Ed25519]));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The Rx.Ssh client logged in to this server with <paramref name="key"/> (ed25519 when null), its
    /// host key pinned; <paramref name="configure"/> adjusts the options last.
    /// </summary>
    public async Task<SshClientConnection> ConnectAsync(TestKey? key = null, SshAlgorithms? algorithms = null, Func<SshClientOptions, SshClientOptions>? configure = null)
    {
        configure ??= options => options;
        try
        {
            return await SshClient.ConnectAsync("127.0.0.1", Port, configure(new SshClientOptions
            {
                UserName = Environment.UserName,
                KeyFiles = [(key ?? TestKeys.Ed25519).PrivateKeyPath],
                UseDefaultKeys = false,
                HostKeyVerifier = new KnownHostsVerifier(KnownHostsPath),
                LoginTimeout = TestTimeout.Long,
                Algorithms = algorithms ?? SshAlgorithms.Default,
            })).WaitAsync(TestTimeout.Long);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException("connecting to " + this + " failed; its log:\n" + Log.Text, ex);
        }
    }

    /// <summary>
    /// Logs in with <paramref name="key"/> and runs a command: the script answers "MODULE ran COMMAND"
    /// on stdout, "to stderr" on stderr, and its exit status (3 from AsyncSSH's, 5 from Paramiko's).
    /// </summary>
    public async Task AssertRunsACommandAsync(TestKey key)
    {
        await using SshClientConnection connection = await ConnectAsync(key);

        SshCompletedProcess result = await connection.Run("hello there").WithTimeout(TestTimeout.Long);

        Assert.Equal($"{_name} ran hello there\n", result.Stdout);
        Assert.Equal("to stderr\n", result.Stderr);
        Assert.Equal(_commandStatus, result.ExitStatus);
    }

    /// <summary>Sends <paramref name="length"/> random bytes through the server's <c>cat</c> and checks they come back equal, exit status 0.</summary>
    public static async Task AssertCatRoundTripAsync(SshClientConnection connection, int length)
    {
        byte[] input = RandomNumberGenerator.GetBytes(length);
        await using SshClientProcess cat = await connection.CreateProcessAsync("cat").WithTimeout();
        using var output = new MemoryStream();
        Task reading = cat.Stdout.CopyToAsync(output);
        await cat.Stdin.WriteAsync(input).WithTimeout(TestTimeout.Long);
        await cat.Stdin.CloseAsync().WithTimeout();
        await reading.WithTimeout(TestTimeout.Long);

        Assert.Equal(SHA256.HashData(input), SHA256.HashData(output.ToArray()));
        Assert.Equal(0, (await cat.WaitForExitAsync().WithTimeout()).ExitStatus);
    }

    public async ValueTask DisposeAsync()
    {
        await _daemon.StopAsync();
        KeyCache.TryDelete(_directory);
    }

    public override string ToString() => $"{_name} server on 127.0.0.1:{Port}";
}
