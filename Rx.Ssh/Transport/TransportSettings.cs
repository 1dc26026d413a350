using Microsoft.Extensions.Logging;
using Rx.Ssh.Keys;

namespace Rx.Ssh.Transport;

/// <summary>What the transport needs from the client or server options.</summary>
internal sealed class TransportSettings
{
    /// <summary>The default of <see cref="MaxPeerKeyExchanges"/> (the options do not change it).</summary>
    public const int DefaultMaxPeerKeyExchanges = 20;

    /// <summary>The default of <see cref="PeerKeyExchangeWindow"/> (the options do not change it).</summary>
    public static readonly TimeSpan DefaultPeerKeyExchangeWindow = TimeSpan.FromMinutes(1);

    public required bool IsServer { get; init; }

    public required SshAlgorithms Algorithms { get; init; }

    /// <summary>Our identification string without CR LF (<c>SSH-2.0-...</c>).</summary>
    public string Version { get; init; } = "SSH-2.0-RxSsh_0.1";

    /// <summary>Client: checks the server's host key; throws to reject it.</summary>
    public Func<SshPublicKey, ValueTask>? VerifyHostKey { get; init; }

    /// <summary>Server: the host keys to offer.</summary>
    public IReadOnlyList<SshPrivateKey> HostKeys { get; init; } = [];

    /// <summary>Server: certificates for <see cref="HostKeys"/>, offered (under <c>*-cert-v01@openssh.com</c> names) before the plain keys.</summary>
    public IReadOnlyList<SshCertificate> HostCertificates { get; init; } = [];

    /// <summary>Client: also offer the certificate forms of the host key algorithms, first (the verifier can check host certificates).</summary>
    public bool OfferHostCertificates { get; init; }

    /// <summary>Client: key types known_hosts has for the server; their host key algorithms are offered first (OpenSSH's order_hostkeyalgs).</summary>
    public IReadOnlyList<string> KnownHostKeyTypes { get; init; } = [];

    /// <summary>Server: the moduli(5) file for Diffie-Hellman group exchange (null: /etc/ssh/moduli, else RFC 3526 groups).</summary>
    public string? ModuliFile { get; init; }

    /// <summary>Re-key after this many bytes sent or received under one set of keys; 0: the cipher's own limit (the cipher's limit also caps larger values).</summary>
    public long RekeyBytes { get; init; }

    /// <summary>Re-key this long after each key exchange; zero or infinite: never by time.</summary>
    public TimeSpan RekeyInterval { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>A key re-exchange must complete this long after it started; zero or infinite: no limit.</summary>
    public TimeSpan KeyExchangeTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Peer-initiated re-exchanges with little data between them allowed per <see cref="PeerKeyExchangeWindow"/>.</summary>
    public int MaxPeerKeyExchanges { get; init; } = DefaultMaxPeerKeyExchanges;

    /// <summary>The sliding window for <see cref="MaxPeerKeyExchanges"/>, on <see cref="Scheduler"/>'s clock.</summary>
    public TimeSpan PeerKeyExchangeWindow { get; init; } = DefaultPeerKeyExchangeWindow;

    /// <summary>A peer-initiated re-exchange after at least this many bytes received under the old keys is not counted.</summary>
    public long CheapKeyExchangeBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Scheduler for the re-key timer, the key exchange deadline and the re-exchange rate limit.</summary>
    public System.Reactive.Concurrency.IScheduler Scheduler { get; init; } = System.Reactive.Concurrency.DefaultScheduler.Instance;

    /// <summary>Largest packet (packet_length) accepted from the peer.</summary>
    public int MaxPacketLength { get; init; } = 256 * 1024;

    /// <summary>
    /// Fuzzing only (Rx.Ssh.Fuzz): sees each outgoing payload before it is compressed and
    /// encrypted and may return another to send in its place (empty: send the original). The
    /// transport's own state follows the original, so the peer gets a well-encrypted but hostile
    /// message in any state. Null in normal use.
    /// </summary>
    public Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? OutgoingPayloadFilter { get; init; }

    public ILogger Logger { get; init; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
}
