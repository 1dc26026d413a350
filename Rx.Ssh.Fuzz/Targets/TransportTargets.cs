using Rx.Ssh.Fuzz.Engine;
using Rx.Ssh.Keys;

namespace Rx.Ssh.Fuzz.Targets;

/// <summary>
/// The byte stream a peer sends before keys are set: version line, binary packet framing, KEXINIT
/// and key exchange messages, into our server and our client. Each input is the whole of what
/// the peer says; the connection must end with a typed error once it has said it.
/// </summary>
internal static class TransportTargets
{
    private static readonly Lazy<SshPrivateKey> HostKey = new(() => SshPrivateKey.Generate("ssh-ed25519"));

    private static IReadOnlyList<byte[]> Dictionary { get; } =
    [
        "SSH-2.0-"u8.ToArray(), "SSH-1.99-"u8.ToArray(), "\r\n"u8.ToArray(), "curve25519-sha256"u8.ToArray(), "kex-strict-c-v00@openssh.com"u8.ToArray(),
        "ext-info-c"u8.ToArray(), "aes128-gcm@openssh.com"u8.ToArray(), "none"u8.ToArray(), "zlib@openssh.com"u8.ToArray(), [20], [21], [30], [31], [34], [1], [2], [4],
    ];

    /// <summary>Our server reading a client's first flight.</summary>
    public static FuzzTarget Server() => new DelegateTarget(
        "transport-server",
        () => [Corpus.Read("openssh-client-first-flight.bin")],
        input =>
        {
            var options = new SshServerOptions { HostKeys = [HostKey.Value], PasswordValidator = (_, _) => ValueTask.FromResult(false), LoginGraceTime = TimeSpan.FromSeconds(5) };
            using var feed = new FeedStream(input);
            SshServer.AcceptAsync(feed, options).GetAwaiter().GetResult().Dispose();
        },
        Dictionary,
        CleanEnd);

    /// <summary>Our client reading a server's first flight.</summary>
    public static FuzzTarget Client() => new DelegateTarget(
        "transport-client",
        () => [Corpus.Read("openssh-server-first-flight.bin")],
        input =>
        {
            var options = new SshClientOptions { HostKeyVerifier = InsecureAcceptAnyHostKey.Instance, UseDefaultKeys = false, Password = "x", ConnectTimeout = TimeSpan.FromSeconds(5), LoginTimeout = TimeSpan.FromSeconds(5) };
            using var feed = new FeedStream(input);
            SshClient.ConnectAsync(feed, "fuzz.invalid", 22, options).GetAwaiter().GetResult().Dispose();
        },
        Dictionary,
        CleanEnd);

    /// <summary>
    /// The transport turns any failure into an <see cref="SshConnectionException"/> (a clean
    /// disconnect), keeping the cause as the inner exception: a bug shows as a cause that is not
    /// itself a documented error (an index out of range, a null reference, an invalid cast...).
    /// </summary>
    internal static bool CleanEnd(Exception error)
    {
        Exception cause = error;
        while (cause.InnerException is { } inner && cause is SshConnectionException)
        {
            cause = inner;
        }

        return cause is SshException or IOException or System.Net.Sockets.SocketException or ObjectDisposedException or OperationCanceledException or TimeoutException;
    }
}
