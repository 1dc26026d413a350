using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// OpenSSH's sshd (<c>/usr/sbin/sshd -D -e -f config</c>) as a child process on 127.0.0.1 and a
/// free port, with its config, host keys' list, authorized_keys and known_hosts in a fresh temp
/// directory. Start with <see cref="StartAsync"/>; dispose kills the process (by its PID, with its
/// per-connection children), waits for it and removes the directory.
/// Works as root (the CI case: any user may log in, <c>PermitRootLogin yes</c>) and as an ordinary
/// user (sshd then runs unprivileged and only that same user can log in).
/// </summary>
public sealed class SshdServer : IAsyncDisposable
{
    /// <summary>Where the tests expect OpenSSH's server.</summary>
    public const string SshdPath = "/usr/sbin/sshd";

    /// <summary>The address sshd listens on.</summary>
    public const string Host = "127.0.0.1";

    private const string PrivilegeSeparationDirectory = "/run/sshd";
    private const int MaxPortAttempts = 5;

    private LoggedDaemon? _daemon;
    private int _disposed;

    private SshdServer(SshdOptions options, string directory, IReadOnlyList<TestKey> hostKeys)
    {
        Options = options;
        Directory = directory;
        HostKeys = hostKeys;
        Log = new SshdLog();
    }

    /// <summary>The options this server was started with.</summary>
    public SshdOptions Options { get; }

    /// <summary>The port sshd listens on (127.0.0.1 only).</summary>
    public int Port { get; private set; }

    /// <summary>The user tests log in as: the current user (root in CI).</summary>
    public static string UserName => Environment.UserName;

    /// <summary>The server's temp directory (removed on dispose).</summary>
    public string Directory { get; }

    /// <summary>The sshd_config file.</summary>
    public string ConfigPath => Path.Combine(Directory, "sshd_config");

    /// <summary>The authorized_keys file sshd reads for every user.</summary>
    public string AuthorizedKeysPath => Path.Combine(Directory, "authorized_keys");

    /// <summary>A known_hosts file trusting exactly this server's host keys at <c>[127.0.0.1]:Port</c>.</summary>
    public string KnownHostsPath => Path.Combine(Directory, "known_hosts");

    /// <summary>With <see cref="SshdOptions.UserPassword"/>: the shadow file sshd sees as <c>/etc/shadow</c>.</summary>
    public string ShadowPath => Path.Combine(Directory, "shadow");

    /// <summary>The text of <see cref="KnownHostsPath"/>.</summary>
    public string KnownHostsText => TestKeys.KnownHostsText(Port, HostKeys, Host);

    /// <summary>The host keys sshd serves (private key paths and public lines).</summary>
    public IReadOnlyList<TestKey> HostKeys { get; }

    /// <summary>sshd's process id (the listener; connections run in children of it).</summary>
    public int ProcessId => _daemon?.Process.Id ?? throw new InvalidOperationException("sshd is not running.");

    /// <summary>sshd's stderr (with <c>-e</c>, its whole log, including per-connection children), live.</summary>
    public SshdLog Log { get; private set; }

    /// <summary>
    /// Starts sshd and returns once it logs "Server listening on 127.0.0.1 port N" (never by sleeping).
    /// Retries with a new port when the chosen one was taken meanwhile.
    /// </summary>
    /// <param name="options">Config variations; <see cref="SshdOptions.Default"/> when null.</param>
    /// <param name="timeout">Deadline for each start attempt; <see cref="TestTimeout.Default"/> when null.</param>
    /// <exception cref="InvalidOperationException">sshd exited or did not get ready; the message holds its log.</exception>
    public static Task<SshdServer> StartAsync(SshdOptions? options = null, TimeSpan? timeout = null) =>
        StartAsync(options, timeout, FindFreePort);

    /// <summary>As <see cref="StartAsync(SshdOptions?, TimeSpan?)"/>, taking each attempt's port from <paramref name="nextPort"/>.</summary>
    internal static async Task<SshdServer> StartAsync(SshdOptions? options, TimeSpan? timeout, Func<int> nextPort)
    {
        options ??= SshdOptions.Default;
        IReadOnlyList<TestKey> hostKeys = options.HostKeyTypes is null
            ? Infrastructure.HostKeys.Default
            : [.. options.HostKeyTypes.Select(Infrastructure.HostKeys.Get)];
        IReadOnlyList<TestKey> authorized = options.AuthorizedKeys ?? TestKeys.All;

        EnsurePrivilegeSeparationDirectory();
        string directory = System.IO.Directory.CreateTempSubdirectory("rxssh-sshd-").FullName;
        var server = new SshdServer(options, directory, hostKeys);
        try
        {
            await File.WriteAllTextAsync(server.AuthorizedKeysPath, TestKeys.AuthorizedKeysText(authorized));
            if (options.UserPassword is not null)
            {
                await server.WriteShadowFileAsync(options.UserPassword);
            }

            var failures = new StringBuilder();
            for (int attempt = 1; attempt <= MaxPortAttempts; attempt++)
            {
                if (await server.TryLaunchAsync(nextPort(), timeout ?? TestTimeout.Default))
                {
                    await File.WriteAllTextAsync(server.KnownHostsPath, server.KnownHostsText);
                    return server;
                }

                failures.Append("attempt ").Append(attempt).Append(" on port ").Append(server.Port).Append(':')
                    .Append(Environment.NewLine).Append(server.Log.Text).Append(Environment.NewLine);
            }

            throw new InvalidOperationException("sshd could not bind a free port:" + Environment.NewLine + failures);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Kills sshd and its connection processes (by PID), waits for them, and removes the temp directory.
    /// Safe to call twice.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopProcessAsync();
        KeyCache.TryDelete(Directory);
    }

    /// <inheritdoc/>
    public override string ToString() => $"sshd pid {_daemon?.Process.Id} on {Host}:{Port} ({Directory})";

    private async Task<bool> TryLaunchAsync(int port, TimeSpan timeout)
    {
        await StopProcessAsync();
        Port = port;
        Log = new SshdLog();
        string config = SshdConfig.Render(
            Options, port, HostKeys.Select(k => k.PrivateKeyPath), AuthorizedKeysPath, Path.Combine(Directory, "sshd.pid"));
        await File.WriteAllTextAsync(ConfigPath, config);

        string[] sshd = [SshdPath, "-D", "-e", "-f", ConfigPath];
        ProcessStartInfo startInfo = Options.UserPassword is null
            ? ProcessRunner.CreateStartInfo(sshd[0], sshd[1..])
            : ProcessRunner.CreateStartInfo(
                "unshare",
                ["--mount", "--propagation", "private", "/bin/sh", "-c", "mount --bind \"$0\" /etc/shadow && exec \"$@\"", ShadowPath, .. sshd]);

        SshdLog log = Log;
        _daemon = LoggedDaemon.Start(startInfo, log);
        Process process = _daemon.Process;

        string ready = $"Server listening on {Host} port {port}.";
        try
        {
            await log.WaitForLineAsync(
                line => line.Contains(ready, StringComparison.Ordinal) || line.Contains("Address already in use", StringComparison.Ordinal),
                timeout);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            await StopProcessAsync();
            throw new InvalidOperationException(
                $"sshd did not get ready on port {port} (exit code {ExitCodeOrNone(process)}):{Environment.NewLine}{log.Text}{Environment.NewLine}--- config ---{Environment.NewLine}{config}",
                e);
        }

        if (log.Contains(ready))
        {
            return true;
        }

        await StopProcessAsync();
        return false;
    }

    private async Task WriteShadowFileAsync(string password)
    {
        if (!Environment.IsPrivilegedProcess || !OperatingSystem.IsLinux())
        {
            throw new InvalidOperationException(
                "SshdOptions.UserPassword needs root on Linux: sshd reads passwords from /etc/shadow, which the tests replace only inside a private mount namespace.");
        }

        ProcessResult hash = await ProcessRunner.RunAsync("openssl", ["passwd", "-6", "-stdin"], Encoding.UTF8.GetBytes(password + "\n"));
        if (hash.ExitCode != 0)
        {
            throw new InvalidOperationException("openssl passwd failed: " + hash);
        }

        // name:hash:last change (days since 1970, in the past so no change is forced):min:max:warn:::
        string line = $"{UserName}:{hash.StdoutText.Trim()}:19000:0:99999:7:::\n";
        await File.WriteAllTextAsync(ShadowPath, line);
        File.SetUnixFileMode(ShadowPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private async Task StopProcessAsync()
    {
        LoggedDaemon? daemon = Interlocked.Exchange(ref _daemon, null);
        if (daemon is not null)
        {
            await daemon.StopAsync();
        }
    }

    private static string ExitCodeOrNone(Process process)
    {
        try
        {
            return process.HasExited ? process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "none, still running";
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }

    internal static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    internal static void EnsurePrivilegeSeparationDirectory()
    {
        // sshd started as root insists on its (empty, root-owned) privsep chroot; as an ordinary
        // user it neither needs nor could create it.
        if (OperatingSystem.IsWindows() || !Environment.IsPrivilegedProcess || System.IO.Directory.Exists(PrivilegeSeparationDirectory))
        {
            return;
        }

        System.IO.Directory.CreateDirectory(
            PrivilegeSeparationDirectory,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }
}
