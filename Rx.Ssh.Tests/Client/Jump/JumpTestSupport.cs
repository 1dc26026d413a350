using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Rx.Ssh.Client.Jump;
using Rx.Ssh.Tests.Infrastructure;
using Rx.Ssh.Trust;

namespace Rx.Ssh.Tests.Client.Jump;

/// <summary>What the jump host tests share: options per server, our server as a target, a verifier that records what it was asked.</summary>
internal static class JumpTestSupport
{
    /// <summary>Options logging in to <paramref name="server"/> with the ed25519 test key and trusting only its host keys.</summary>
    public static SshClientOptions OptionsFor(string knownHostsPath) => new()
    {
        UserName = SshdServer.UserName,
        KeyFiles = [TestKeys.Ed25519.PrivateKeyPath],
        UseDefaultKeys = false,
        HostKeyVerifier = new KnownHostsVerifier(knownHostsPath),
        LoginTimeout = TestTimeout.Long,
    };

    /// <summary>A hop to sshd at 127.0.0.1 with options of its own (its known_hosts only).</summary>
    public static SshProxyJump Hop(SshdServer server) => new(SshdServer.Host, server.Port, OptionsFor(server.KnownHostsPath));

    /// <summary>Our server on 127.0.0.1: any test key logs in; every command answers <c>ran CMD as USER</c>.</summary>
    public static Task<RxSshServerUnderTest> StartTargetAsync() => RxSshServerUnderTest.StartAsync(new SshServerOptions
    {
        ProcessHandler = async process => await process.Stdout.WriteLineAsync($"ran {process.Command} as {process.UserName}"),
    });

    /// <summary>The jump hosts a connection went through, first hop first, from the client's log (<paramref name="logs"/> its logger factory).</summary>
    public static LogEntry[] Hops(LogCollector logs) => [.. logs.Entries.Where(e => e.EventId == SshLogEvents.Client.JumpHostConnected)];

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on (bound, then released).</summary>
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>A host key verifier that records every (host, port) it is asked about, then asks the inner one.</summary>
internal sealed class RecordingVerifier(IHostKeyVerifier inner) : IHostKeyVerifier
{
    public ConcurrentQueue<string> Asked { get; } = new();

    public ValueTask VerifyAsync(HostKeyContext context, CancellationToken cancellationToken = default)
    {
        Asked.Enqueue($"{context.Host}:{context.Port}");
        return inner.VerifyAsync(context, cancellationToken);
    }

    public bool WantsHostCertificates(string host, int port, IPAddress? address) => inner.WantsHostCertificates(host, port, address);

    public IReadOnlyList<string> KnownKeyTypes(string host, int port, IPAddress? address) => inner.KnownKeyTypes(host, port, address);
}
