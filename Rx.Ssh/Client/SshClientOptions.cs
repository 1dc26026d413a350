using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Keys;
using Rx.Ssh.Trust;

namespace Rx.Ssh;

/// <summary>How <see cref="SshClient"/> connects and authenticates. Immutable; use <c>with</c> to vary.</summary>
public sealed record SshClientOptions
{
    /// <summary>The login name; defaults to the current user.</summary>
    public string UserName { get; init; } = Environment.UserName;

    /// <summary>
    /// Keys to offer, in order. When it, <see cref="Signers"/> and <see cref="KeyFiles"/> are all
    /// empty, the default key files are tried.
    /// </summary>
    public IReadOnlyList<SshPrivateKey> Keys { get; init; } = [];

    /// <summary>
    /// Signers whose private key the client does not hold (an agent, a token, a signing service),
    /// offered after <see cref="Keys"/> and before <see cref="KeyFiles"/>. Their signatures are awaited
    /// without blocking a thread, with the connect's token; a signer that throws is skipped (and its
    /// error becomes the inner exception of the <see cref="PermissionDeniedException"/> if the login
    /// is refused). A signer whose <see cref="ISshSigner.PublicKey"/> is a certificate is offered as
    /// that certificate. Default none.
    /// </summary>
    public IReadOnlyList<ISshSigner> Signers { get; init; } = [];

    /// <summary>
    /// OpenSSH certificates for the keys (<see cref="Keys"/>, <see cref="KeyFiles"/> or the default
    /// files): a key with a certificate is offered with its certificate first, then plain. A
    /// <c>&lt;key file&gt;-cert.pub</c> next to a key file is used without being listed here, as OpenSSH does.
    /// </summary>
    public IReadOnlyList<SshCertificate> Certificates { get; init; } = [];

    /// <summary>Private key files to load and offer, in order (with a <c>-cert.pub</c> certificate next to one, when present).</summary>
    public IReadOnlyList<string> KeyFiles { get; init; } = [];

    /// <summary>Passphrase for encrypted key files.</summary>
    public string? Passphrase { get; init; }

    /// <summary>
    /// The most key derivation work a key file may ask for (bcrypt rounds, Argon2 memory and passes,
    /// PBKDF2 iterations, scrypt memory). A listed key file over a limit fails the connect with
    /// <see cref="SshKeyLimitException"/>; a default file over a limit is skipped. Reading keys counts
    /// against <see cref="LoginTimeout"/> and stops when it or the connect's token fires.
    /// Default <see cref="SshKeyLoadLimits.Default"/>.
    /// </summary>
    public SshKeyLoadLimits KeyLoadLimits { get; init; } = SshKeyLoadLimits.Default;

    /// <summary>
    /// Try <c>~/.ssh/id_ed25519</c>, <c>id_ecdsa</c> and <c>id_rsa</c> when no keys are given
    /// (files that do not exist are skipped; unreadable ones are reported and skipped). Default true.
    /// </summary>
    public bool UseDefaultKeys { get; init; } = true;

    /// <summary>
    /// Password for <c>password</c> authentication, and for <c>keyboard-interactive</c> when
    /// <see cref="KeyboardInteractive"/> is not set (answered by <see cref="SshKeyboardInteractive.PasswordResponder"/>).
    /// </summary>
    public string? Password { get; init; }

    /// <summary>
    /// Answers the server's keyboard-interactive prompts (RFC 4256): called once per round with the
    /// challenge (name, instruction, prompts with their echo flags), it returns one answer per prompt,
    /// in order (none for a round without prompts, which is only informational). The server may ask
    /// several rounds. The token is the connect's (login timeout included). Null (the default): the
    /// method is tried only when <see cref="Password"/> is set, with
    /// <see cref="SshKeyboardInteractive.PasswordResponder"/>.
    /// </summary>
    public Func<SshKeyboardInteractiveChallenge, CancellationToken, ValueTask<IReadOnlyList<string>>>? KeyboardInteractive { get; init; }

    /// <summary>
    /// Decides whether the server's host key is trusted. Default: OpenSSH's known_hosts files
    /// (<c>~/.ssh/known_hosts</c>, <c>/etc/ssh/ssh_known_hosts</c>). Opting out is explicit:
    /// <see cref="InsecureAcceptAnyHostKey.Instance"/>.
    /// </summary>
    public IHostKeyVerifier HostKeyVerifier { get; init; } = new KnownHostsVerifier();

    /// <summary>Algorithm preferences.</summary>
    public SshAlgorithms Algorithms { get; init; } = SshAlgorithms.Default;

    /// <summary>Time allowed for the TCP connection. Default 30 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed from TCP connect to authenticated (reading key files included). Default 2 minutes, as OpenSSH's LoginGraceTime.</summary>
    public TimeSpan LoginTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Re-key after this many bytes in one direction under one set of keys. 0 (the default): the
    /// cipher's safe limit as OpenSSH computes it from RFC 4344 (64 GiB for AES ciphers, 1 GiB for
    /// chacha20-poly1305). A value above the cipher's limit is capped to it.
    /// </summary>
    public long RekeyBytes { get; init; }

    /// <summary>
    /// Re-key this long after each key exchange, on <see cref="Scheduler"/>. Default 1 hour (OpenSSH
    /// has no time limit by default; AsyncSSH uses an hour). <see cref="TimeSpan.Zero"/> or
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns it off.
    /// </summary>
    public TimeSpan RekeyInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// A key re-exchange must complete this long after it started, on <see cref="Scheduler"/>, or
    /// the connection ends with a <see cref="SshConnectionException"/> (reason
    /// <see cref="DisconnectReason.ConnectionLost"/>, inner <see cref="TimeoutException"/>): while
    /// one runs all other data is held back, so a peer that starts one and stops answering would
    /// otherwise wedge the connection. Default 1 minute; <see cref="TimeSpan.Zero"/> or
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns it off. The first exchange is bounded by
    /// <see cref="LoginTimeout"/> instead.
    /// </summary>
    public TimeSpan KeyExchangeTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Send a <c>keepalive@openssh.com</c> global request (want-reply) every this often once
    /// authenticated, on <see cref="Scheduler"/>. Any reply, success or failure, shows the peer is
    /// alive. Default <see cref="TimeSpan.Zero"/>: off, as OpenSSH's <c>ServerAliveInterval</c>.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; init; }

    /// <summary>
    /// Keepalives that may go unanswered in a row; when one more interval passes without a reply the
    /// connection ends with an <see cref="SshConnectionException"/> whose inner exception is a
    /// <see cref="TimeoutException"/>. Default 3, as OpenSSH's <c>ServerAliveCountMax</c>.
    /// </summary>
    public int KeepAliveCountMax { get; init; } = 3;

    /// <summary>
    /// Handlers for incoming global requests by name (RFC 4254 section 4), registered on each
    /// connection before it reads its first request; more can be added later with
    /// <see cref="SshConnection.RegisterGlobalRequestHandler"/>. Requests with no handler are
    /// answered with failure. Default none.
    /// </summary>
    public IReadOnlyDictionary<string, SshGlobalRequestHandler>? GlobalRequestHandlers { get; init; }

    /// <summary>
    /// Handlers for channels the peer opens, by channel type (RFC 4254 section 5.1), registered on
    /// each connection before it reads its first message; more can be added later with
    /// <see cref="SshConnection.RegisterChannelOpenHandler"/>. Types with no handler are refused with
    /// UNKNOWN_CHANNEL_TYPE. Default none.
    /// </summary>
    public IReadOnlyDictionary<string, SshChannelOpenHandler>? ChannelOpenHandlers { get; init; }

    /// <summary>
    /// Handlers for channel requests the library does not handle itself, by request name (RFC 4254
    /// section 5.4; e.g. <c>auth-agent-req@openssh.com</c>, <c>x11-req</c>), registered on each
    /// connection before it reads its first message; more can be added later with
    /// <see cref="SshConnection.RegisterChannelRequestHandler"/>. Requests with no handler are
    /// answered with failure when they want a reply. Default none.
    /// </summary>
    public IReadOnlyDictionary<string, SshChannelRequestHandler>? ChannelRequestHandlers { get; init; }

    /// <summary>Scheduler for timeouts; default <see cref="DefaultScheduler.Instance"/>. Pass a virtual-time scheduler in tests.</summary>
    public IScheduler Scheduler { get; init; } = DefaultScheduler.Instance;

    /// <summary>
    /// Called as each step of connecting completes (<see cref="SshTcpConnected"/>,
    /// <see cref="SshHostKeyAccepted"/>, <see cref="SshAuthenticated"/>), synchronously on the
    /// connecting task and before the next step starts, so "connected" is seen before the login is
    /// decided. An exception it throws fails the connect. For an observable of the same events, use
    /// <see cref="SshClient.ConnectWithEvents"/>.
    /// </summary>
    public Action<SshConnectionEvent>? ConnectionEvents { get; init; }

    /// <summary>
    /// Called with each authentication banner the server sends, sanitized: line feeds, tabs and
    /// CR LF are kept, other control characters (ESC included) and Unicode format characters are
    /// shown as escapes (<c>\033</c>, <c>\u{202E}</c>), and the text is cut at 16 KiB, so it
    /// is safe to print to a terminal.
    /// </summary>
    public Action<string>? BannerReceived { get; init; }

    /// <summary>Our identification string.</summary>
    public string ClientVersion { get; init; } = "SSH-2.0-RxSsh_0.1";

    /// <summary>Logger for protocol diagnostics.</summary>
    public ILogger? Logger { get; init; }
}
