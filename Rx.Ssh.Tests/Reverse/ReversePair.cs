using System.Net;
using Rx.Ssh.Tests.Infrastructure;

namespace Rx.Ssh.Tests.Reverse;

/// <summary>What the reverse-direction tests share: a listening client on a free loopback port, its failures, a server that calls it.</summary>
internal static class ReversePair
{
    /// <summary>Listen on 127.0.0.1, port 0.</summary>
    public static SshReverseListenOptions Loopback(Action<SshReversePeerFailure>? failed = null) => new()
    {
        Address = IPAddress.Loopback,
        Port = 0,
        PeerFailed = failed,
    };

    /// <summary>Server options that echo each command's text back as stdout and exit 0.</summary>
    public static SshServerOptions EchoServer() => InMemoryServer.DefaultServerOptions(async process =>
    {
        await process.Stdout.WriteAsync("ran " + process.Command + "\n");
        await process.ExitAsync(0);
    });

    /// <summary>A listener whose first emitted connection and first peer failure are tasks.</summary>
    public static async Task<(SshReverseListener Listener, Task<SshClientConnection> First, Task<SshReversePeerFailure> Failed, IDisposable Subscription)> ListenAsync(SshClientOptions client, Func<SshReverseListenOptions, SshReverseListenOptions>? configure = null)
    {
        var failed = new TaskCompletionSource<SshReversePeerFailure>(TaskCreationOptions.RunContinuationsAsynchronously);
        SshReverseListenOptions listen = Loopback(f => failed.TrySetResult(f));
        listen = configure?.Invoke(listen) ?? listen;
        SshReverseListener listener = await SshClient.ListenReverseAsync(client, listen);
        var first = new TaskCompletionSource<SshClientConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        IDisposable subscription = listener.Connections.Subscribe(c =>
        {
            if (!first.TrySetResult(c))
            {
                c.Dispose();
            }
        });
        return (listener, first.Task, failed.Task, subscription);
    }
}
