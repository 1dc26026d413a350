using Rx.Ssh.Keys;
using Rx.Ssh.Testing;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// An Rx.Ssh client and server connected in memory (no sockets). The server accepts
/// <c>alice</c>/<c>secret</c> by password unless the options say otherwise.
/// </summary>
public sealed class InMemoryServer : IAsyncDisposable
{
    private static readonly Lazy<SshPrivateKey> SharedHostKey = new(() => SshPrivateKey.Generate("ssh-ed25519"));

    private readonly InMemorySshPair _pair;

    private InMemoryServer(InMemorySshPair pair) => _pair = pair;

    /// <summary>A host key shared by the tests (generated once).</summary>
    public static SshPrivateKey HostKey => SharedHostKey.Value;

    /// <summary>The client side.</summary>
    public SshClientConnection Client => _pair.Client;

    /// <summary>The server side.</summary>
    public SshServerConnection Server => _pair.Server;

    /// <summary>Server options with the shared host key and the alice/secret password check.</summary>
    public static SshServerOptions DefaultServerOptions(Func<SshServerProcess, Task>? handler = null) => new()
    {
        HostKeys = [HostKey],
        PasswordValidator = (context, password) => ValueTask.FromResult(context.UserName == "alice" && password == "secret"),
        ProcessHandler = handler,
        AuthFailureDelay = TimeSpan.Zero,
    };

    /// <summary>Client options for alice with the password, trusting only the shared host key.</summary>
    public static SshClientOptions DefaultClientOptions() => new()
    {
        UserName = "alice",
        Password = "secret",
        UseDefaultKeys = false,
        HostKeyVerifier = new CallbackHostKeyVerifier(context => ValueTask.FromResult(HostKey.PublicKey.Equals(context.Key))),
    };

    /// <summary>Connects a client to a server in memory (the public <see cref="InMemorySshPair"/>); both sides must succeed.</summary>
    public static async Task<InMemoryServer> StartAsync(SshServerOptions? server = null, SshClientOptions? client = null)
    {
        using CancellationTokenSource deadline = TestTimeout.CreateCancellation();
        InMemorySshPair pair = await InMemorySshPair.StartAsync(server ?? DefaultServerOptions(), client ?? DefaultClientOptions(), deadline.Token).WithTimeout();
        return new InMemoryServer(pair);
    }

    /// <summary>Disconnects both sides.</summary>
    public ValueTask DisposeAsync() => _pair.DisposeAsync();
}
