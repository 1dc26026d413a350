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

    private InMemoryServer(SshClientConnection client, SshServerConnection server)
    {
        Client = client;
        Server = server;
    }

    /// <summary>A host key shared by the tests (generated once).</summary>
    public static SshPrivateKey HostKey => SharedHostKey.Value;

    /// <summary>The client side.</summary>
    public SshClientConnection Client { get; }

    /// <summary>The server side.</summary>
    public SshServerConnection Server { get; }

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

    /// <summary>Connects a client to a server in memory; both sides must succeed.</summary>
    public static async Task<InMemoryServer> StartAsync(SshServerOptions? server = null, SshClientOptions? client = null)
    {
        (Stream clientStream, Stream serverStream) = InMemoryStream.CreatePair();
        Task<SshServerConnection> serverTask = SshServer.AcceptAsync(serverStream, server ?? DefaultServerOptions());
        Task<SshClientConnection> clientTask = SshClient.ConnectAsync(clientStream, "in-memory", 22, client ?? DefaultClientOptions());
        try
        {
            await Task.WhenAll(serverTask, clientTask).WaitAsync(TestTimeout.Default);
        }
        catch
        {
            await DisposeQuietly(serverTask);
            await DisposeQuietly(clientTask);
            throw;
        }

        return new InMemoryServer(clientTask.Result, serverTask.Result);
    }

    /// <summary>Disconnects both sides.</summary>
    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }

    private static async Task DisposeQuietly<T>(Task<T> task)
        where T : SshConnection
    {
        try
        {
            await (await task.WaitAsync(TestTimeout.Default)).DisposeAsync();
        }
        catch (Exception)
        {
            // The side that failed has nothing to dispose.
        }
    }
}
