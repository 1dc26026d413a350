using System.Diagnostics;
using System.Text;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// Dropbear's <c>dropbear</c> server in the foreground (<c>-F -E</c>) on a free 127.0.0.1 port, with
/// its own ed25519, ecdsa-256 and rsa-2048 host keys made by dropbearkey (once per test run). Dropbear
/// reads <c>~/.ssh/authorized_keys</c> from the login user's passwd entry, so the server runs under
/// nss_wrapper with a passwd file of its own: user <see cref="UserName"/>, this process's uid, a home
/// in the server's temp directory listing every unencrypted <see cref="TestKeys"/> key. Nothing
/// outside that directory is read or written. Disposing stops the process (by its PID) and removes it.
/// </summary>
public sealed class DropbearServer : IAsyncDisposable
{
    /// <summary>The login user (mapped to the uid running the tests).</summary>
    public const string UserName = "tester";

    private const int MaxPortAttempts = 5;

    private static readonly Lazy<Task<IReadOnlyList<(string Path, string PublicKeyLine)>>> SharedHostKeys = new(MakeHostKeysAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _directory;
    private LoggedDaemon? _daemon;

    private DropbearServer(string directory, IReadOnlyList<(string Path, string PublicKeyLine)> hostKeys)
    {
        _directory = directory;
        HostKeyLines = [.. hostKeys.Select(k => k.PublicKeyLine)];
        KnownHostsPath = Path.Combine(directory, "known_hosts");
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; private set; }

    /// <summary>Its host keys as public key lines (<c>type base64</c>).</summary>
    public IReadOnlyList<string> HostKeyLines { get; }

    /// <summary>An OpenSSH known_hosts file trusting its host keys for <c>[127.0.0.1]:port</c>.</summary>
    public string KnownHostsPath { get; }

    /// <summary>Its stderr, line by line.</summary>
    public SshdLog Log { get; private set; } = new();

    /// <summary>Starts a server; fails (does not skip) when Dropbear or nss_wrapper is missing.</summary>
    public static async Task<DropbearServer> StartAsync()
    {
        InteropTools.RequireDropbear();
        InteropTools.Require(InteropTools.NssWrapper, "libnss-wrapper");
        IReadOnlyList<(string Path, string PublicKeyLine)> hostKeys = await SharedHostKeys.Value;
        string directory = Directory.CreateTempSubdirectory("rxssh-dropbear-").FullName;
        var server = new DropbearServer(directory, hostKeys);
        try
        {
            await server.WriteAccountAsync();
            var failures = new StringBuilder();
            for (int attempt = 1; attempt <= MaxPortAttempts; attempt++)
            {
                if (await server.TryLaunchAsync(SshdServer.FindFreePort(), hostKeys))
                {
                    string pattern = $"[127.0.0.1]:{server.Port}";
                    await File.WriteAllTextAsync(server.KnownHostsPath, string.Concat(server.HostKeyLines.Select(l => pattern + " " + l + "\n")));
                    return server;
                }

                failures.Append("attempt ").Append(attempt).Append(" on port ").Append(server.Port).Append(':').Append('\n').Append(server.Log.Text).Append('\n');
            }

            throw new InvalidOperationException("dropbear could not bind a free port:\n" + failures);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops dropbear and its session children, and removes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync();
        KeyCache.TryDelete(_directory);
    }

    /// <inheritdoc/>
    public override string ToString() => $"dropbear pid {_daemon?.Process.Id} on 127.0.0.1:{Port} ({_directory})";

    private async Task WriteAccountAsync()
    {
        string home = Path.Combine(_directory, "home");
        string ssh = Path.Combine(home, ".ssh");
        Directory.CreateDirectory(ssh);
        string authorized = Path.Combine(ssh, "authorized_keys");
        await File.WriteAllTextAsync(authorized, TestKeys.AuthorizedKeysText(TestKeys.Unencrypted));
        if (OperatingSystem.IsLinux())
        {
            // Dropbear ignores an authorized_keys that the group or others could change (whatever the umask).
            const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            File.SetUnixFileMode(home, Private);
            File.SetUnixFileMode(ssh, Private);
            File.SetUnixFileMode(authorized, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        string uid = await IdAsync("-u");
        string gid = await IdAsync("-g");
        await File.WriteAllTextAsync(Path.Combine(_directory, "passwd"), $"{UserName}:x:{uid}:{gid}:Rx.Ssh test:{home}:/bin/sh\n");
        await File.WriteAllTextAsync(Path.Combine(_directory, "group"), $"{UserName}:x:{gid}:\n");
    }

    private async Task<bool> TryLaunchAsync(int port, IReadOnlyList<(string Path, string PublicKeyLine)> hostKeys)
    {
        await StopProcessAsync();
        Port = port;
        Log = new SshdLog();
        List<string> arguments = ["-F", "-E", "-s", "-p", $"127.0.0.1:{port}", "-P", Path.Combine(_directory, "dropbear.pid")];
        foreach ((string path, _) in hostKeys)
        {
            arguments.AddRange(["-r", path]);
        }

        ProcessStartInfo start = ProcessRunner.CreateStartInfo(InteropTools.Dropbear, arguments,
        [
            new("LD_PRELOAD", InteropTools.NssWrapper),
            new("NSS_WRAPPER_PASSWD", Path.Combine(_directory, "passwd")),
            new("NSS_WRAPPER_GROUP", Path.Combine(_directory, "group")),
        ]);
        SshdLog log = Log;
        _daemon = LoggedDaemon.Start(start, log);
        Process process = _daemon.Process;

        // Dropbear binds its ports before it says it stays in the foreground; a failed bind exits instead.
        try
        {
            await log.WaitForLineAsync(line => line.Contains("Not backgrounding", StringComparison.Ordinal), TestTimeout.Long);
            return true;
        }
        catch (InvalidOperationException) when (log.Contains("Address already in use"))
        {
            await StopProcessAsync();
            return false;
        }
    }

    private async Task StopProcessAsync()
    {
        LoggedDaemon? daemon = Interlocked.Exchange(ref _daemon, null);
        if (daemon is not null)
        {
            await daemon.StopAsync();
        }
    }

    private static async Task<string> IdAsync(string which)
    {
        ProcessResult id = await ProcessRunner.RunAsync("id", [which]);
        Assert.True(id.ExitCode == 0, "id failed: " + id);
        return id.StdoutText.Trim();
    }

    private static async Task<IReadOnlyList<(string Path, string PublicKeyLine)>> MakeHostKeysAsync()
    {
        string directory = Directory.CreateTempSubdirectory("rxssh-dropbear-hostkeys-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KeyCache.TryDelete(directory);
        (string Type, string Bits)[] specs = [("ed25519", "256"), ("ecdsa", "256"), ("rsa", "2048")];
        return await Task.WhenAll(specs.Select(async spec =>
        {
            string path = Path.Combine(directory, "dropbear_" + spec.Type + "_host_key");
            ProcessResult made = await ProcessRunner.RunAsync(InteropTools.Dropbearkey, ["-t", spec.Type, "-s", spec.Bits, "-f", path], timeout: TestTimeout.Long);
            Assert.True(made.ExitCode == 0, "dropbearkey failed: " + made);

            // "Public key portion is:" then "TYPE BASE64 COMMENT" then the fingerprint.
            string line = made.StdoutText.Split('\n').Single(l => l.StartsWith("ssh-", StringComparison.Ordinal) || l.StartsWith("ecdsa-", StringComparison.Ordinal));
            string[] fields = line.Split(' ');
            return (path, fields[0] + " " + fields[1]);
        }));
    }
}
