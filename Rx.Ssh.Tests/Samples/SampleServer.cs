using System.Globalization;
using Rx.Ssh.Keys;
using Rx.Ssh.Samples;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Samples;

/// <summary>
/// A server sample running in-process on a free loopback port, in a temporary directory holding
/// <c>ssh_host_key</c> and an <c>ssh_user_ca</c> that lists <see cref="UserKey"/>. Disposing
/// stops it (as Ctrl-C does) and deletes the directory.
/// </summary>
internal sealed class SampleServer : IAsyncDisposable
{
    private static readonly Lazy<SshPrivateKey> SharedHostKey = new(() => SshPrivateKey.Generate("ssh-ed25519"));
    private static readonly Lazy<SshPrivateKey> SharedUserKey = new(() => SshPrivateKey.Generate("ssh-ed25519"));
    private readonly CancellationTokenSource _stop;
    private readonly Task<int> _run;

    private SampleServer(string directory, LineWriter output, LineWriter error, CancellationTokenSource stop, Task<int> run, int port)
    {
        Directory = directory;
        Out = output;
        Error = error;
        _stop = stop;
        _run = run;
        Port = port;
    }

    public static SshPrivateKey HostKey => SharedHostKey.Value;

    /// <summary>The client key listed in <c>ssh_user_ca</c>.</summary>
    public static SshPrivateKey UserKey => SharedUserKey.Value;

    public string Directory { get; }

    public LineWriter Out { get; }

    public LineWriter Error { get; }

    public int Port { get; }

    /// <summary>Writes the files every server sample reads: <c>ssh_host_key</c> and <c>ssh_user_ca</c>.</summary>
    public static void WriteDefaultFiles(string directory)
    {
        HostKey.Save(Path.Combine(directory, "ssh_host_key"));
        File.WriteAllText(Path.Combine(directory, "ssh_user_ca"), UserKey.PublicKey.ToOpenSshString("test-user") + "\n");
    }

    /// <summary>
    /// Starts sample <paramref name="name"/> with the default files plus whatever <paramref name="setUp"/> adds,
    /// its options as <paramref name="configure"/> sets them (e.g. <c>--allow-port</c>).
    /// </summary>
    public static async Task<SampleServer> StartAsync(string name, Action<string>? setUp = null, Func<SampleContext, SampleContext>? configure = null)
    {
        string directory = System.IO.Directory.CreateTempSubdirectory("rxssh-sample-").FullName;
        WriteDefaultFiles(directory);
        setUp?.Invoke(directory);
        var output = new LineWriter();
        var error = new LineWriter();
        var stop = new CancellationTokenSource();
        SampleContext context = CreateContext(directory, output, error, stop.Token);
        context = configure?.Invoke(context) ?? context;
        ISample sample = SampleCatalog.Find(name) ?? throw new ArgumentException($"No sample '{name}'.", nameof(name));
        Task<int> run = Task.Run(() => sample.RunAsync(context));
        Task<string> listening = output.WaitForLineAsync(line => line.StartsWith("Listening on ", StringComparison.Ordinal));
        if (await Task.WhenAny(run, listening) == run)
        {
            throw new InvalidOperationException($"{name} exited with {await run} before listening: {error.Text}");
        }

        string line = await listening;
        Assert.StartsWith("Listening on 127.0.0.1 port ", line);
        int port = int.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        return new SampleServer(directory, output, error, stop, run, port);
    }

    /// <summary>Runs sample <paramref name="name"/> in a directory prepared by <paramref name="setUp"/> until it exits by itself.</summary>
    public static async Task<(int ExitCode, string Out, string Error)> RunUntilExitAsync(string name, Action<string> setUp, Func<SampleContext, SampleContext>? configure = null)
    {
        string directory = System.IO.Directory.CreateTempSubdirectory("rxssh-sample-").FullName;
        try
        {
            setUp(directory);
            var output = new LineWriter();
            var error = new LineWriter();
            using var stop = new CancellationTokenSource();
            SampleContext context = CreateContext(directory, output, error, stop.Token);
            int exitCode = await SampleCatalog.Find(name)!.RunAsync(configure?.Invoke(context) ?? context).WithTimeout();
            return (exitCode, output.Text, error.Text);
        }
        finally
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Client options trusting only the test host key; key <see cref="UserKey"/> unless a password is given.</summary>
    public static SshClientOptions ClientOptions(string user, string? password = null, SshPrivateKey? key = null) => new()
    {
        UserName = user,
        Password = password,
        Keys = password is null && key is null ? [UserKey] : key is null ? [] : [key],
        UseDefaultKeys = false,
        HostKeyVerifier = new CallbackHostKeyVerifier(context => ValueTask.FromResult(HostKey.PublicKey.Equals(context.Key))),
    };

    /// <summary>The known_hosts line that trusts <see cref="HostKey"/> for 127.0.0.1 on <paramref name="port"/>.</summary>
    public static string KnownHostsLine(int port) => KnownHostsFile.FormatEntry("127.0.0.1", port, HostKey.PublicKey, hashed: false);

    /// <summary>
    /// OpenSSH's ssh for a server on <paramref name="port"/> holding <see cref="HostKey"/>: it trusts only that key
    /// (a <c>known_hosts</c> file written into <paramref name="directory"/>) and logs in as <paramref name="user"/> with
    /// <see cref="UserKey"/> (saved there as <c>id_user</c>), or with no key at all when <paramref name="withKey"/> is false.
    /// </summary>
    public static OpenSshClient OpenSsh(string directory, int port, string user, bool withKey = true)
    {
        string knownHosts = Path.Combine(directory, "known_hosts");
        string identity = Path.Combine(directory, "id_user");
        if (!File.Exists(knownHosts))
        {
            File.WriteAllText(knownHosts, KnownHostsLine(port) + "\n");
            UserKey.Save(identity);
        }

        return new OpenSshClient
        {
            Port = port,
            User = user,
            KnownHostsFile = knownHosts,
            IdentityFile = withKey ? identity : null,
        };
    }

    /// <inheritdoc cref="OpenSsh(string, int, string, bool)"/>
    public OpenSshClient Ssh(string user = "alice", bool withKey = true) => OpenSsh(Directory, Port, user, withKey);

    public Task<SshClientConnection> ConnectAsync(SshClientOptions options) =>
        SshClient.ConnectAsync("127.0.0.1", Port, options).WithTimeout();

    public Task<SshClientConnection> ConnectAsync(string user = "alice") => ConnectAsync(ClientOptions(user));

    /// <summary>Stops the sample as Ctrl-C would; returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await _run.WithTimeout();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            _stop.Dispose();
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static SampleContext CreateContext(string directory, LineWriter output, LineWriter error, CancellationToken stopping) => new()
    {
        Listen = "127.0.0.1",
        Port = 0,
        WorkingDirectory = directory,
        Out = output,
        Error = error,
        Stopping = stopping,
    };
}
