using Rx.Ssh.Keys;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// An Rx.Ssh server listening on 127.0.0.1 (a free port) for OpenSSH's <c>ssh</c> to connect to:
/// it holds the ed25519, ecdsa-256 and rsa-2048 host keys of <see cref="HostKeys.Default"/> (unless
/// the options bring their own), trusts every unencrypted <see cref="TestKeys"/> user key for any
/// user (unless the options say how to authenticate), and writes a known_hosts file listing its
/// host keys. <see cref="Client"/> gives an <see cref="OpenSshClient"/> pointed at it. Disposing
/// stops listening and disconnects every live connection.
/// </summary>
public sealed class RxSshServerUnderTest : IAsyncDisposable
{
    private static readonly Lazy<IReadOnlyList<SshPrivateKey>> DefaultHostKeys = new(
        () => [.. HostKeys.Default.Select(k => SshPrivateKey.Load(k.PrivateKeyPath))],
        LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lazy<AuthorizedKeysFile> DefaultAuthorizedKeys = new(
        () => AuthorizedKeysFile.Parse(TestKeys.AuthorizedKeysText(TestKeys.Unencrypted)),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _directory;

    private RxSshServerUnderTest(SshListener listener, SshServerOptions options, string directory)
    {
        Listener = listener;
        Options = options;
        _directory = directory;
        KnownHostsPath = Path.Combine(directory, "known_hosts");
    }

    /// <summary>The user name <see cref="Client"/> logs in as by default.</summary>
    public const string UserName = "tester";

    /// <summary>The listener.</summary>
    public SshListener Listener { get; }

    /// <summary>The options the server runs with (port and host keys filled in).</summary>
    public SshServerOptions Options { get; }

    /// <summary>The port it listens on.</summary>
    public int Port => Listener.Port;

    /// <summary>A known_hosts file trusting the server's host keys for <c>[127.0.0.1]:port</c>.</summary>
    public string KnownHostsPath { get; }

    /// <summary>
    /// Starts a server with <paramref name="options"/>; <see cref="SshServerOptions.Port"/> is
    /// replaced by 0, empty <see cref="SshServerOptions.HostKeys"/> by the three default host keys,
    /// and when no authentication is configured, every test user key is authorized.
    /// </summary>
    /// <param name="options">The server options (at least a process handler).</param>
    public static async Task<RxSshServerUnderTest> StartAsync(SshServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool anyAuth = options.AuthorizedKeys is not null || options.PublicKeyValidator is not null || options.PasswordValidator is not null
            || options.KeyboardInteractiveChallenge is not null || options.AuthenticationRequired is not null || options.HandlerFactory is not null;
        options = options with
        {
            Port = 0,
            HostKeys = options.HostKeys.Count > 0 ? options.HostKeys : DefaultHostKeys.Value,
            AuthorizedKeys = anyAuth ? options.AuthorizedKeys : _ => DefaultAuthorizedKeys.Value,
        };
        string directory = Directory.CreateTempSubdirectory("rxssh-srv-").FullName;
        SshListener listener;
        try
        {
            listener = await SshServer.StartAsync(options);
        }
        catch
        {
            KeyCache.TryDelete(directory);
            throw;
        }

        var server = new RxSshServerUnderTest(listener, options, directory);
        string knownHosts = string.Concat(options.HostKeys.Select(k => KnownHostsFile.FormatEntry("127.0.0.1", listener.Port, k.PublicKey, hashed: false) + "\n"));
        await File.WriteAllTextAsync(server.KnownHostsPath, knownHosts);
        return server;
    }

    /// <summary>An ssh client for this server that logs in as <paramref name="user"/> with <paramref name="key"/> and checks host keys strictly.</summary>
    /// <param name="key">The user key; <see cref="TestKeys.Ed25519"/> when null.</param>
    /// <param name="user">The login user.</param>
    public OpenSshClient Client(TestKey? key = null, string user = UserName) => new()
    {
        Port = Port,
        User = user,
        IdentityFile = (key ?? TestKeys.Ed25519).PrivateKeyPath,
        KnownHostsFile = KnownHostsPath,
    };

    /// <summary>Stops listening, disconnects every connection and removes the known_hosts file.</summary>
    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
        await Listener.DisconnectAllAsync().WithTimeout();
        KeyCache.TryDelete(_directory);
    }
}
