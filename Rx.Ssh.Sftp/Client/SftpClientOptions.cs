using System.Reactive.Concurrency;

namespace Rx.Ssh.Sftp;

/// <summary>
/// Settings of an <see cref="SftpClient"/>: the channel's receive window and the pipelining of
/// transfers. Values are checked when the client starts.
/// </summary>
public sealed record SftpClientOptions
{
    /// <summary>The defaults: a 16 MiB window, blocks from the server's limits, requests in flight from window ÷ block.</summary>
    public static SftpClientOptions Default { get; } = new();

    /// <summary>
    /// The SFTP channel's receive window: how much reply data the server may send ahead of our
    /// reading. It caps the read-ahead of downloads (each request in flight holds one block of
    /// window), so it is large by default: 16 MiB (the core's default of 2 MiB would allow only
    /// 8 reads of 255 KiB). From <see cref="SshChannelSettings.MinWindowSize"/> to <see cref="SshChannelSettings.MaxWindowSize"/>.
    /// </summary>
    public int WindowSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>
    /// The longest packet accepted from the server (the length field's value): a longer one ends
    /// the session with <see cref="SftpProtocolException"/>. Default 257 KiB: OpenSSH's 256 KiB
    /// maximum plus room. Blocks are sized to fit it.
    /// </summary>
    public int MaxPacketLength { get; init; } = 257 * 1024;

    /// <summary>
    /// The bytes asked for by one READ and sent by one WRITE; null takes the server's
    /// <c>limits@openssh.com</c> answer (255 KiB against OpenSSH) or, without that extension, 32 KiB
    /// (what every server must accept).
    /// </summary>
    public int? BlockSize { get; init; }

    /// <summary>
    /// The most READ or WRITE requests one transfer keeps in flight; null is
    /// <see cref="WindowSize"/> ÷ block size, never fewer than OpenSSH's 64 × 32 KiB worth.
    /// </summary>
    public int? MaxRequestsInFlight { get; init; }

    /// <summary>
    /// How long the server may stay silent while requests are outstanding. When some request has
    /// waited this long and no reply at all came in that time, the server is taken for stuck: the
    /// session ends and every outstanding and later request fails with
    /// <see cref="SftpException"/> (<see cref="SftpStatusCode.ConnectionLost"/>, inner
    /// <see cref="TimeoutException"/>), and the channel is closed, which makes the server close
    /// every handle the session left open. Any reply resets the clock, so a slow but answering
    /// server (a deep pipeline on a slow link) is not cut off; one request that legitimately takes
    /// longer with nothing else in flight (a huge <c>fsync</c>) is. Checked on <see cref="Scheduler"/>
    /// four times per timeout. Default 1 minute; <see cref="TimeSpan.Zero"/> or
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns it off (then only cancellation or disposing the
    /// client ends a wait, and a cancelled transfer's cleanup, its CLOSE and an upload's wait for
    /// its writes in flight, waits for the server as long as the session lives).
    /// </summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The scheduler of <see cref="ReplyTimeout"/>'s checks; default <see cref="DefaultScheduler.Instance"/>,
    /// or <see cref="TimeProvider"/>'s clock when that is set (tests pass a virtual-time one).
    /// </summary>
    public IScheduler Scheduler
    {
        get => _scheduler ?? (IScheduler?)_providerScheduler ?? DefaultScheduler.Instance;
        init => _scheduler = value;
    }

    /// <summary>
    /// The clock as a <see cref="System.TimeProvider"/> (a <c>FakeTimeProvider</c> in tests): when set,
    /// <see cref="ReplyTimeout"/> is checked on it. Setting both this and <see cref="Scheduler"/> is an
    /// <see cref="ArgumentException"/> when the client starts. Default null.
    /// </summary>
    public TimeProvider? TimeProvider
    {
        get => _providerScheduler?.Provider;
        init => _providerScheduler = value is null ? null : new SshTimeProviderScheduler(value);
    }

    private readonly IScheduler? _scheduler;
    private readonly SshTimeProviderScheduler? _providerScheduler;

    /// <summary>The smallest block size accepted.</summary>
    public const int MinBlockSize = 512;

    /// <summary>Bytes in flight never go below this (OpenSSH's sftp: 64 requests of 32 KiB).</summary>
    public const int MinBytesInFlight = 64 * 32 * 1024;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(WindowSize, SshChannelSettings.MinWindowSize, nameof(WindowSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(WindowSize, SshChannelSettings.MaxWindowSize, nameof(WindowSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPacketLength, 34 * 1024, nameof(MaxPacketLength));
        ArgumentNullException.ThrowIfNull(Scheduler, nameof(Scheduler));
        if (_scheduler is not null && _providerScheduler is not null)
        {
            throw new ArgumentException($"Set {nameof(Scheduler)} or {nameof(TimeProvider)}, not both.", nameof(TimeProvider));
        }
        if (ReplyTimeout < TimeSpan.Zero && ReplyTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(ReplyTimeout), ReplyTimeout, "The reply timeout must be positive, zero or infinite.");
        }

        if (BlockSize is int block)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(block, MinBlockSize, nameof(BlockSize));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(block, MaxPacketLength - 1024, nameof(BlockSize));
        }

        if (MaxRequestsInFlight is int inFlight)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(inFlight, 1, nameof(MaxRequestsInFlight));
        }
    }
}
