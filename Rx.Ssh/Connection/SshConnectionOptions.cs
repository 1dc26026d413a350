using System.Reactive.Concurrency;
using Microsoft.Extensions.Logging;

namespace Rx.Ssh;

/// <summary>
/// What both roles' options share: algorithms, re-keying, keepalive, handlers for incoming
/// requests and channels, channel settings, scheduler and logger, with one copy of their docs
/// and checks. <see cref="SshClientOptions"/> and <see cref="SshServerOptions"/> derive from it;
/// immutable, vary with <c>with</c>.
/// </summary>
public abstract record SshConnectionOptions
{
    /// <summary>Algorithm preferences.</summary>
    public SshAlgorithms Algorithms { get; init; } = SshAlgorithms.Default;

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
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns it off. The first exchange is bounded by the
    /// role's login time instead (the client's <c>LoginTimeout</c>, the server's <c>LoginGraceTime</c>).
    /// </summary>
    public TimeSpan KeyExchangeTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Send a <c>keepalive@openssh.com</c> global request (want-reply) every this often once
    /// authenticated, on <see cref="Scheduler"/>. Any reply, success or failure, shows the peer is
    /// alive. Default <see cref="TimeSpan.Zero"/>: off, as OpenSSH's <c>ServerAliveInterval</c>
    /// (client) and <c>ClientAliveInterval</c> (server).
    /// </summary>
    public TimeSpan KeepAliveInterval { get; init; }

    /// <summary>
    /// Keepalives that may go unanswered in a row; when one more interval passes without a reply the
    /// connection ends with an <see cref="SshConnectionException"/> whose inner exception is a
    /// <see cref="TimeoutException"/>. Default 3, as OpenSSH's <c>ServerAliveCountMax</c> and
    /// <c>ClientAliveCountMax</c>. A negative value fails the connect (or accept) with
    /// <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    public int KeepAliveCountMax { get; init; } = 3;

    /// <summary>
    /// Idle timeouts by channel type, as OpenSSH's <c>ChannelTimeout</c>: a channel of a listed type
    /// (<c>session</c>, <c>direct-tcpip</c>, <c>forwarded-tcpip</c>, <c>direct-streamlocal@openssh.com</c>,
    /// <c>auth-agent@openssh.com</c>, ...) on which nothing was sent or received (data either way,
    /// channel requests) for its timeout is closed, and the close is logged. Keys are exact types or
    /// wildcard patterns (<c>*</c>, <c>?</c>): an exact type wins, then the longest matching pattern.
    /// A channel closes between its timeout and a quarter more (the sweep runs every quarter of the
    /// shortest timeout, at least every second) on <see cref="Scheduler"/>. Zero or infinite values
    /// mean no timeout. Default none (channels never time out).
    /// </summary>
    public IReadOnlyDictionary<string, TimeSpan>? ChannelTimeouts { get; init; }

    /// <summary>
    /// Channels open at once on a connection (either side's, with the peer's opens still waiting for
    /// a decision) past which a channel the peer opens is refused with RESOURCE_SHORTAGE and the
    /// refusal is logged; the connection carries on. A cap of every channel type together, under the
    /// per-type ones (the server's <c>MaxSessions</c> and <c>MaxForwardedChannels</c>). Channels this
    /// side opens are not refused by it. Default 1024 (at least 1).
    /// </summary>
    public int MaxChannels { get; init; } = DefaultMaxChannels;

    /// <summary>The default of <see cref="MaxChannels"/>: 1024.</summary>
    public const int DefaultMaxChannels = 1024;

    /// <summary>
    /// The peer's global requests, and separately its channel opens, that may wait for their
    /// handlers' answers at once. Past it the connection reads nothing more from the peer until one
    /// is answered (back-pressure: memory stays bounded and nothing is refused; replies keep their
    /// order). Default 64 (at least 1).
    /// </summary>
    public int MaxPendingRequests { get; init; } = DefaultMaxPendingRequests;

    /// <summary>The default of <see cref="MaxPendingRequests"/>: 64.</summary>
    public const int DefaultMaxPendingRequests = 64;

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
    /// UNKNOWN_CHANNEL_TYPE. On the server the <c>session</c> type is built in and cannot be
    /// registered here. Default none.
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

    /// <summary>
    /// Window size, maximum packet size and queued-output bound of this connection's channels
    /// (see <see cref="SshChannelSettings"/>). Default <see cref="SshChannelSettings.Default"/>.
    /// </summary>
    public SshChannelSettings ChannelSettings { get; init; } = SshChannelSettings.Default;

    /// <summary>
    /// Scheduler for timers (timeouts, re-key interval, keepalive, the server's login grace and
    /// failure delay); default <see cref="DefaultScheduler.Instance"/>, or <see cref="TimeProvider"/>'s
    /// clock when that is set. Pass a virtual-time scheduler in tests.
    /// </summary>
    public IScheduler Scheduler
    {
        get => _scheduler ?? (IScheduler?)_providerScheduler ?? DefaultScheduler.Instance;
        init => _scheduler = value;
    }

    /// <summary>
    /// The clock as a <see cref="System.TimeProvider"/>, for applications that keep time with one:
    /// when set, every timer <see cref="Scheduler"/> would run runs on it instead (pass a
    /// <c>FakeTimeProvider</c> in tests and advance it). One clock: setting both this and
    /// <see cref="Scheduler"/> fails the connect (or accept) with <see cref="ArgumentException"/>.
    /// Default null (the scheduler's clock).
    /// </summary>
    public TimeProvider? TimeProvider
    {
        get => _providerScheduler?.Provider;
        init => _providerScheduler = value is null ? null : new SshTimeProviderScheduler(value);
    }

    private readonly IScheduler? _scheduler;
    private readonly SshTimeProviderScheduler? _providerScheduler;

    /// <summary>
    /// Where the library logs, one category per layer (<see cref="SshLogCategories"/>, event ids in
    /// <see cref="SshLogEvents"/>): the usual .NET way, e.g. from dependency injection. Information is
    /// what an operator wants (logins, refusals, limits biting, forwards); Debug adds OpenSSH
    /// <c>-v</c>-like detail (the negotiated algorithms, keys tried, forwards' byte counts). Never
    /// secrets. Default null: <see cref="Logger"/>, else nothing.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// One logger for every category, used when <see cref="LoggerFactory"/> is null (simple
    /// programs and tests). Default null: nothing is logged.
    /// </summary>
    public ILogger? Logger { get; init; }

    /// <summary>The layers' loggers from <see cref="LoggerFactory"/> or <see cref="Logger"/>.</summary>
    internal IO.SshLoggers Loggers => LoggerFactory is null && Logger is null ? IO.SshLoggers.None : new(LoggerFactory, Logger);

    /// <summary>Fuzzing only: see <c>TransportSettings.OutgoingPayloadFilter</c>.</summary>
    internal Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>>? OutgoingPayloadFilter { get; init; }

    /// <summary>The shared checks, run when a connection is made with these options.</summary>
    internal void CheckShared(string paramName)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(KeepAliveCountMax, paramName + "." + nameof(KeepAliveCountMax));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxChannels, 1, paramName + "." + nameof(MaxChannels));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPendingRequests, 1, paramName + "." + nameof(MaxPendingRequests));
        if (_scheduler is not null && _providerScheduler is not null)
        {
            throw new ArgumentException($"Set {nameof(Scheduler)} or {nameof(TimeProvider)}, not both: the connection keeps one clock.", paramName);
        }
    }

    /// <summary>Registers the options' handlers and channel cap on a new connection, before its dispatch starts.</summary>
    internal void AddHandlersTo(SshConnection connection)
    {
        connection.MaxChannels = MaxChannels;
        connection.MaxPendingRequests = MaxPendingRequests;
        connection.AddGlobalRequestHandlers(GlobalRequestHandlers);
        connection.AddChannelOpenHandlers(ChannelOpenHandlers);
        connection.AddChannelRequestHandlers(ChannelRequestHandlers);
    }

    /// <summary>Starts the options' keepalive and channel timeouts on a connection whose dispatch has started.</summary>
    internal void StartTimersOn(SshConnection connection)
    {
        connection.StartKeepAlive(KeepAliveInterval, KeepAliveCountMax, Scheduler);
        connection.StartChannelTimeouts(ChannelTimeouts, Scheduler);
    }
}
