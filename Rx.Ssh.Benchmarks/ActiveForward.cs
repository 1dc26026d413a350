using System.Globalization;
using System.Net;
using Rx.Ssh;

/// <summary>
/// One running forward to <see cref="SinkSourceService"/> that a benchmark connects through
/// 127.0.0.1:<see cref="Port"/>: Rx.Ssh's client or OpenSSH's <c>ssh</c>, local (-L) or remote (-R).
/// Disposing stops it (and the client connection or process it started).
/// </summary>
internal sealed class ActiveForward(string name, int port, Func<ValueTask> stop, int? processId = null) : IAsyncDisposable
{
    /// <summary>The forwarding process (OpenSSH's ssh), or null when the forward runs in this process.</summary>
    public int? ProcessId { get; } = processId;

    public string Name { get; } = name;

    public int Port { get; } = port;

    public ValueTask DisposeAsync() => stop();

    /// <summary>Rx.Ssh's client: <see cref="SshClientConnection.ForwardLocalPortAsync"/> on port 0.</summary>
    public static async Task<ActiveForward> RxLocalAsync(IServerUnderTest server, string cipher, int destinationPort)
    {
        SshClientConnection connection = await new RxSshRunner(server).ConnectAsync(cipher);
        SshLocalForwarder forwarder = await connection.ForwardLocalPortAsync("127.0.0.1", 0, "127.0.0.1", destinationPort);
        return new ActiveForward($"Rx.Ssh -L → {server.Name}", ((IPEndPoint)forwarder.LocalEndPoint).Port, async () =>
        {
            await forwarder.DisposeAsync();
            await connection.DisposeAsync();
        });
    }

    /// <summary>Rx.Ssh's client: <see cref="SshClientConnection.ForwardRemotePort"/> on port 0, the port read from the reply.</summary>
    public static async Task<ActiveForward> RxRemoteAsync(IServerUnderTest server, string cipher, int destinationPort)
    {
        SshClientConnection connection = await new RxSshRunner(server).ConnectAsync(cipher);
        var started = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        IDisposable subscription = connection.ForwardRemotePort("127.0.0.1", 0, "127.0.0.1", destinationPort).Subscribe(
            e =>
            {
                if (e is SshRemoteForwardStarted s)
                {
                    started.TrySetResult(s.Port);
                }
            },
            e => started.TrySetException(e));
        int port = await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return new ActiveForward($"Rx.Ssh -R → {server.Name}", port, async () =>
        {
            subscription.Dispose();
            await connection.DisposeAsync();
        });
    }

    /// <summary>OpenSSH's <c>ssh -N -L 127.0.0.1:P:127.0.0.1:D</c> on a free port P.</summary>
    public static Task<ActiveForward> SshLocalAsync(IServerUnderTest server, string cipher, int destinationPort) =>
        SshAsync(server, cipher, "-L", destinationPort);

    /// <summary>OpenSSH's <c>ssh -N -R 127.0.0.1:P:127.0.0.1:D</c> on a port P that was free here (the server is on this machine).</summary>
    public static Task<ActiveForward> SshRemoteAsync(IServerUnderTest server, string cipher, int destinationPort) =>
        SshAsync(server, cipher, "-R", destinationPort);

    private static async Task<ActiveForward> SshAsync(IServerUnderTest server, string cipher, string option, int destinationPort)
    {
        int port = SshdServer.FreePort();
        string spec = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}:127.0.0.1:{destinationPort}");
        ServerProcess process = await new OpenSshRunner(server).StartForwardAsync(cipher, option, spec, port);
        return new ActiveForward($"ssh {option} → {server.Name}", port, process.DisposeAsync, process.ProcessId);
    }
}
