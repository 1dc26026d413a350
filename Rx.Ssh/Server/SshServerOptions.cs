using System.Net;
using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Keys;
using Rx.Ssh.Trust;

namespace Rx.Ssh;

/// <summary>
/// How <see cref="SshServer"/> listens, authenticates and serves. Immutable; use <c>with</c> to vary.
/// Authentication is decided per connection by an <see cref="SshServerHandler"/>: the default one
/// uses the delegates here (<see cref="PasswordValidator"/>, <see cref="AuthorizedKeys"/>, ...);
/// subclass it and set <see cref="HandlerFactory"/> for the callback style.
/// </summary>
public sealed record SshServerOptions : SshConnectionOptions
{
    /// <summary>Address to bind. Default <see cref="IPAddress.Loopback"/>: exposing a server is an explicit choice.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>Port to bind; 0 picks a free one (read it from <see cref="SshListener.Port"/>). Default 22.</summary>
    public int Port { get; init; } = 22;

    /// <summary>Host keys; the client picks among their signature algorithms. At least one is required.</summary>
    public IReadOnlyList<SshPrivateKey> HostKeys { get; init; } = [];

    /// <summary>
    /// OpenSSH host certificates for <see cref="HostKeys"/> (sshd's <c>HostCertificate</c>): each is
    /// offered under its <c>*-cert-v01@openssh.com</c> algorithm names, before the plain keys, to
    /// clients that ask for them. A certificate without its private key among the host keys is ignored.
    /// </summary>
    public IReadOnlyList<SshCertificate> HostCertificates { get; init; } = [];

    /// <summary>
    /// Revoked user keys (sshd's <c>RevokedKeys</c>, as public keys): refused for public key
    /// authentication, and a certificate is refused when its key or its CA is listed.
    /// </summary>
    public IReadOnlyList<SshPublicKey> RevokedKeys { get; init; } = [];

    /// <summary>Our identification string.</summary>
    public string ServerVersion { get; init; } = "SSH-2.0-RxSsh_0.1";

    /// <summary>Text sent to clients as an authentication banner before they authenticate (optional).</summary>
    public string? Banner { get; init; }

    /// <summary>
    /// Creates the per-connection handler that decides authentication and sessions. Default:
    /// a plain <see cref="SshServerHandler"/> driven by the delegates of these options.
    /// </summary>
    public Func<SshServerHandler>? HandlerFactory { get; init; }

    /// <summary>
    /// Decides, per user, whether authentication is needed at all (AsyncSSH's <c>begin_auth</c>).
    /// Default: always needed. Returning false lets the user in with any method, <c>none</c> included.
    /// </summary>
    public Func<string, bool>? AuthenticationRequired { get; init; }

    /// <summary>Checks a password; enables the <c>password</c> method (and keyboard-interactive password prompts).</summary>
    public Func<SshAuthContext, string, ValueTask<bool>>? PasswordValidator { get; init; }

    /// <summary>Checks a public key the client proved it holds; enables the <c>publickey</c> method.</summary>
    public Func<SshAuthContext, SshPublicKey, ValueTask<bool>>? PublicKeyValidator { get; init; }

    /// <summary>
    /// The authorized_keys file for a user (null when the user has none); enables <c>publickey</c>.
    /// Entries' <c>from=</c>, <c>expiry-time=</c> and <c>cert-authority</c> are honoured; their other
    /// options are exposed on <see cref="SshServerConnection.KeyOptions"/> and enforced where the
    /// library owns the behaviour (<c>no-pty</c>, <c>command=</c>; <c>environment=</c> only with
    /// <see cref="PermitUserEnvironment"/>).
    /// </summary>
    public Func<string, AuthorizedKeysFile?>? AuthorizedKeys { get; init; }

    /// <summary>
    /// Starts a keyboard-interactive exchange for a user (null refuses the method for that user);
    /// enables the <c>keyboard-interactive</c> method.
    /// </summary>
    public Func<SshAuthContext, ValueTask<SshKeyboardInteractiveChallenge?>>? KeyboardInteractiveChallenge { get; init; }

    /// <summary>Checks keyboard-interactive answers: true/false, or another challenge via <see cref="SshKeyboardInteractiveResult"/>.</summary>
    public Func<SshAuthContext, IReadOnlyList<string>, ValueTask<SshKeyboardInteractiveResult>>? KeyboardInteractiveValidator { get; init; }

    /// <summary>
    /// Failed authentication attempts allowed per connection (OpenSSH's MaxAuthTries). Every failure
    /// counts, public key queries for keys that are not accepted included, except the first
    /// <c>none</c> request (which clients send to learn the methods). Default 6.
    /// </summary>
    public int MaxAuthAttempts { get; init; } = 6;

    /// <summary>
    /// Every counted failed attempt (all but the opening <c>none</c>, which is answered at once) is answered at a per-user target time
    /// after it arrived, between this and one and a half times this (fixed for a user name, the same
    /// whether or not the user exists); when checking took longer, at the next multiple of the
    /// target, so a slow check does not show either. Default 100 ms.
    /// </summary>
    public TimeSpan AuthFailureDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Time allowed from accept to authenticated (OpenSSH's LoginGraceTime). Default 2 minutes.</summary>
    public TimeSpan LoginGraceTime { get; init; } = TimeSpan.FromMinutes(2);

    // Limits on connections that have not authenticated yet (issue 9, M5). A listener counts its own
    // connections; SshServer.AcceptAsync calls given the same options instance share one count.

    /// <summary>
    /// Connections allowed to be unauthenticated at once; more are closed at accept (the <c>full</c>
    /// of OpenSSH's <c>MaxStartups start:rate:full</c>). Default 100.
    /// </summary>
    public int MaxUnauthenticatedConnections { get; init; } = 100;

    /// <summary>
    /// From this many unauthenticated connections on, a new one is refused at random: with
    /// <see cref="RandomDropRate"/> percent probability here, rising linearly to 100% at
    /// <see cref="MaxUnauthenticatedConnections"/> (the <c>start</c> of OpenSSH's <c>MaxStartups</c>).
    /// A value at or above <see cref="MaxUnauthenticatedConnections"/> turns random drop off. Default 10.
    /// </summary>
    public int RandomDropStart { get; init; } = 10;

    /// <summary>The refusal probability, in percent, at <see cref="RandomDropStart"/> (the <c>rate</c> of OpenSSH's <c>MaxStartups</c>). Default 30.</summary>
    public int RandomDropRate { get; init; } = 30;

    /// <summary>
    /// Unauthenticated connections allowed at once from one IP address; more are closed at accept,
    /// so one source cannot hold every slot. 0 turns the limit off. Default 10.
    /// </summary>
    public int MaxUnauthenticatedPerAddress { get; init; } = 10;

    /// <summary>
    /// Unauthenticated connections allowed at once from one network block (addresses sharing the
    /// first <see cref="NetBlockPrefixIPv4"/> or <see cref="NetBlockPrefixIPv6"/> bits; OpenSSH's
    /// <c>PerSourceMaxStartups</c> with <c>PerSourceNetBlockSize</c>). 0 turns the limit off. Default 30.
    /// </summary>
    public int MaxUnauthenticatedPerNetBlock { get; init; } = 30;

    /// <summary>Prefix length of an IPv4 network block for <see cref="MaxUnauthenticatedPerNetBlock"/>. Default 24.</summary>
    public int NetBlockPrefixIPv4 { get; init; } = 24;

    /// <summary>Prefix length of an IPv6 network block for <see cref="MaxUnauthenticatedPerNetBlock"/>. Default 64.</summary>
    public int NetBlockPrefixIPv6 { get; init; } = 64;

    /// <summary>
    /// Time allowed from accept to the end of the first key exchange (version exchange included),
    /// on <see cref="Scheduler"/>; a client silent or slow past it is disconnected, so idle sockets
    /// hold a slot for seconds rather than the whole <see cref="LoginGraceTime"/>.
    /// <see cref="TimeSpan.Zero"/> or <see cref="Timeout.InfiniteTimeSpan"/> turns it off. Default 15 seconds.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Penalties for sources whose connections keep ending badly before authenticating (see
    /// <see cref="SshSourcePenalties"/>); per listener, and per options instance for
    /// <see cref="SshServer.AcceptAsync"/> given a remote end point. Default
    /// <see cref="SshSourcePenalties.Default"/> (on, loopback exempt); <see cref="SshSourcePenalties.Off"/> turns them off.
    /// </summary>
    public SshSourcePenalties SourcePenalties { get; init; } = SshSourcePenalties.Default;

    /// <summary>
    /// An authenticated connection with no channel open for this long is closed (DISCONNECT, by
    /// application; logged), as OpenSSH's <c>UnusedConnectionTimeout</c>: the clock runs from login
    /// and again from each moment the last channel closes, on <see cref="SshConnectionOptions.Scheduler"/>.
    /// Default <see cref="Timeout.InfiniteTimeSpan"/>: off, as sshd's default; <see cref="TimeSpan.Zero"/> is off too.
    /// </summary>
    public TimeSpan UnusedConnectionTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>Random source for <see cref="RandomDropStart"/>: returns a value in [0, n) (tests make it deterministic).</summary>
    internal Func<int, int>? StartupRandom { get; init; }

    /// <summary>
    /// Session channels open at once per connection (OpenSSH's MaxSessions); more are refused with
    /// RESOURCE_SHORTAGE. Bounds memory: each channel may hold up to its window (<see cref="SshConnectionOptions.ChannelSettings"/>, 2 MiB by default) unread. Default 10.
    /// </summary>
    public int MaxSessions { get; init; } = 10;

    /// <summary>
    /// For <see cref="SshProcessReader.ReadLineAsync"/> (and <c>Lines</c>): the longest input line in
    /// characters, without its line ending. A longer line fails the read with
    /// <see cref="SshLineTooLongException"/> once that much is buffered (the part is dropped, the next
    /// read goes on after it), so a client cannot make the server hold one line without bound.
    /// Default 1 MiB, the same as <see cref="SshProcessOptions.MaxLineLength"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to zero or less.</exception>
    public int MaxLineLength
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The line cap must be positive.");
    } = 1024 * 1024;

    /// <summary>
    /// Runs each session's process (shell, exec or subsystem). When it returns, the process exits
    /// with <see cref="SshServerProcess.ExitStatus"/> (0 unless set); when it throws, with status 1
    /// and the message on stderr. Without a handler (and no session from the handler), session
    /// channels are refused.
    /// </summary>
    public Func<SshServerProcess, Task>? ProcessHandler { get; init; }

    /// <summary>
    /// Environment variables clients may set with <c>env</c> requests (sshd's <c>AcceptEnv</c>):
    /// names matching one of these patterns (case-sensitive; <c>*</c> any run, <c>?</c> one character)
    /// are passed on to the session, others are refused. Default <c>LANG</c> and <c>LC_*</c>, so a
    /// client cannot set <c>LD_PRELOAD</c>, <c>BASH_ENV</c>, <c>PATH</c> and the like. Whatever the
    /// patterns, names starting with <c>SSH_</c> (the server's own, as <c>SSH_ORIGINAL_COMMAND</c>)
    /// and names that are empty or hold <c>=</c> or NUL are always refused; <c>["*"]</c> accepts the rest.
    /// </summary>
    public IReadOnlyList<string> AcceptEnv { get; init; } = ["LANG", "LC_*"];

    /// <summary>
    /// Apply the <c>environment="NAME=value"</c> options of authorized_keys lines (sshd's
    /// <c>PermitUserEnvironment</c>). Default false: a user who can edit their authorized_keys could
    /// otherwise set <c>LD_PRELOAD</c> for the server's processes. The options stay readable on
    /// <see cref="SshServerConnection.KeyOptions"/> either way.
    /// </summary>
    public bool PermitUserEnvironment { get; init; }

    /// <summary>
    /// Accept agent forwarding (<c>auth-agent-req@openssh.com</c>, <c>ssh -A</c>), as sshd's
    /// <c>AllowAgentForwarding</c>: the session gets a UNIX socket in a private directory whose path is
    /// in its <see cref="SshServerChannel.Environment"/> as <c>SSH_AUTH_SOCK</c> (and in
    /// <see cref="SshServerChannel.AgentSocketPath"/>), and each connection to it reaches the client's
    /// agent. Refused for keys with <c>no-agent-forwarding</c> or <c>restrict</c>, and certificates
    /// without <c>permit-agent-forwarding</c>. Default false: an application that starts no processes
    /// has no use for the socket (and a request handler of its own in
    /// <see cref="SshConnectionOptions.ChannelRequestHandlers"/> then sees the request).
    /// </summary>
    public bool AllowAgentForwarding { get; init; }

    /// <summary>Edit input for sessions that requested a pty (echo, line editing, history). Default true.</summary>
    public bool LineEditor { get; init; } = true;

    /// <summary>Lines kept in the line editor's history. Default 100.</summary>
    public int LineHistorySize { get; init; } = 100;

    /// <summary>
    /// An OpenSSH moduli(5) file with the groups offered for <c>diffie-hellman-group-exchange-*</c>.
    /// Null (the default) reads <c>/etc/ssh/moduli</c>; when the file is missing, unreadable or has no
    /// usable group, the RFC 3526 groups (2048 to 8192 bits) serve instead.
    /// </summary>
    public string? ModuliFile { get; init; }

    /// <summary>
    /// Subsystems by name (sshd's <c>Subsystem</c> lines, e.g. <c>netconf</c>), compared ordinally.
    /// When a session's <c>subsystem</c> request names one of these, it is accepted and the handler
    /// serves the channel as a byte stream (<see cref="SshServerSubsystem"/>); the session's own
    /// <see cref="SshServerSession.SubsystemRequested"/> and <see cref="ProcessHandler"/> are not
    /// involved. Names not registered here go to the session as before (the default process
    /// handler accepts every name; a plain <see cref="SshServerSession"/> refuses). A forced command
    /// (authorized_keys <c>command=</c>, a certificate's <c>force-command</c>) still replaces any
    /// subsystem request, registered or not. Without a <see cref="ProcessHandler"/> (or a handler's
    /// own session), session channels are still accepted for these subsystems; shell and exec are refused. Default none.
    /// </summary>
    public IReadOnlyDictionary<string, SshSubsystemHandler>? Subsystems { get; init; }

    /// <summary>
    /// Decides direct forwarding requests (<c>ssh -L</c>, <c>ssh -W</c>, UNIX socket paths) for the
    /// default <see cref="SshServerHandler.DirectForwardRequestedAsync"/>: allow (the server connects),
    /// handle in process, or refuse with a reason. Default null: every request refused with
    /// ADMINISTRATIVELY_PROHIBITED. authorized_keys <c>no-port-forwarding</c>, <c>restrict</c>,
    /// <c>permitopen=</c> and a certificate without <c>permit-port-forwarding</c> are applied first:
    /// what they refuse never reaches the policy.
    /// </summary>
    public Func<SshDirectForwardRequest, ValueTask<SshForwardDecision>>? DirectForwardPolicy { get; init; }

    /// <summary>
    /// Decides remote forwarding requests (<c>ssh -R</c>, UNIX socket paths) for the default
    /// <see cref="SshServerHandler.ListenRequestedAsync"/>: true binds the address. Default null:
    /// every request refused. The key's <c>permitlisten=</c> and <c>no-port-forwarding</c> are applied
    /// first. Bind addresses: <c>""</c> and <c>*</c> every interface, <c>localhost</c> 127.0.0.1, an IP
    /// literal that address (see <see cref="SshListenRequest"/>); refuse what you do not want exposed.
    /// </summary>
    public Func<SshListenRequest, ValueTask<bool>>? ListenPolicy { get; init; }

    /// <summary>
    /// How long the server tries to connect to an allowed direct forward's destination before it
    /// refuses the channel with CONNECT_FAILED. <see cref="TimeSpan.Zero"/> or
    /// <see cref="Timeout.InfiniteTimeSpan"/>: the operating system's own timeout. Default 10 seconds.
    /// </summary>
    public TimeSpan ForwardConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Forwarded channels open (or being opened) at once per connection, both directions together:
    /// direct channels past it are refused with RESOURCE_SHORTAGE, and connections accepted by a
    /// remote forward's listener past it are closed. Bounds memory: each holds up to its channel
    /// window plus one copy buffer per direction. Default 64.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
    public int MaxForwardedChannels
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The forwarded channel cap must not be negative.");
    } = 64;

    /// <summary>
    /// Remote-forward listeners (<c>tcpip-forward</c>, <c>streamlocal-forward@openssh.com</c>)
    /// bound at once per connection: a request past it is refused (REQUEST_FAILURE, logged), so a
    /// client cannot make the server hold sockets without bound. Default 16.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value.</exception>
    public int MaxForwardListeners
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The forward listener cap must not be negative.");
    } = 16;
}
