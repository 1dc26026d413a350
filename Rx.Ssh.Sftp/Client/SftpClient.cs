using System.Reactive.Concurrency;
using System.Text;
using Rx.Ssh.Sftp.Client;
using Rx.Ssh.Sftp.Protocol;

namespace Rx.Ssh.Sftp;

/// <summary>
/// An SFTP version 3 client session over one <c>sftp</c> subsystem channel (start one with
/// <see cref="SftpClientExtensions.StartSftpClientAsync"/>). Every operation is a request sent at
/// once and matched to its reply by id, so any number may be in flight from any threads; a
/// failure status throws <see cref="SftpException"/> with the server's code and message.
/// </summary>
/// <remarks>
/// <para>
/// Every operation takes a <see cref="CancellationToken"/>. Cancelling stops the wait; the
/// request, already sent, still completes on the server, and its late reply is dropped (a handle
/// it opened is closed). A server that stops answering altogether ends the session after
/// <see cref="SftpClientOptions.ReplyTimeout"/> (1 minute by default), so neither an operation nor a
/// cancelled transfer's cleanup waits for it forever. Transfers (<see cref="Get(string, string, SftpTransferOptions?)"/>, <see cref="Put(string, string, SftpTransferOptions?)"/>) are cold
/// observables of progress; disposing the subscription cancels them and closes their handles.
/// </para>
/// <para>
/// The session ends when the channel closes, on a protocol error (a malformed reply, a reply to no
/// outstanding request), or on disposal: every request then fails with
/// <see cref="SftpStatusCode.ConnectionLost"/>. Disposing closes the channel (the server closes
/// every handle left open); the connection stays up.
/// </para>
/// </remarks>
public sealed partial class SftpClient : IAsyncDisposable
{
    private readonly SftpChannelSession _session;
    private readonly Dictionary<string, string> _extensions;

    private SshChannelStream? _channel;
    private SshClientConnection? _connection;

    private SftpClient(SftpChannelSession session, SftpHello hello, SftpClientOptions options)
    {
        _session = session;
        Options = options;
        Version = hello.Version;
        _extensions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, byte[]> pair in hello.Extensions)
        {
            _extensions[pair.Key] = Encoding.UTF8.GetString(pair.Value);
        }
    }

    /// <summary>The protocol version agreed: 3.</summary>
    public uint Version { get; }

    /// <summary>The extensions the server announced in its VERSION packet: name → version data.</summary>
    public IReadOnlyDictionary<string, string> Extensions => _extensions;

    /// <summary>The server's <c>limits@openssh.com</c> answer, null when it does not offer the extension.</summary>
    public SftpLimits? Limits { get; private set; }

    /// <summary>The options the client was started with.</summary>
    public SftpClientOptions Options { get; }

    /// <summary>The bytes one READ asks for in transfers: <see cref="SftpClientOptions.BlockSize"/>, or from <see cref="Limits"/>, or 32 KiB.</summary>
    public int ReadBlockSize { get; private set; }

    /// <summary>The bytes one WRITE carries in transfers (like <see cref="ReadBlockSize"/>).</summary>
    public int WriteBlockSize { get; private set; }

    /// <summary>Completes once the session ended (channel closed, protocol error, disposal). Never faults.</summary>
    public Task Closed => _session.Ended;

    /// <summary>
    /// Starts an SFTP session on <paramref name="connection"/>: opens the <c>sftp</c> subsystem with a
    /// receive window of <see cref="SftpClientOptions.WindowSize"/>, exchanges INIT and VERSION, and
    /// asks for the server's limits when it offers them.
    /// </summary>
    /// <param name="connection">An authenticated connection.</param>
    /// <param name="options">The settings; <see cref="SftpClientOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops starting; the channel is closed.</param>
    /// <returns>The client, owned by the caller.</returns>
    /// <exception cref="SshChannelRequestException">The server has no <c>sftp</c> subsystem.</exception>
    /// <exception cref="SftpException">The server speaks a version below 3.</exception>
    /// <exception cref="SftpProtocolException">The server's VERSION is malformed.</exception>
    public static async Task<SftpClient> StartAsync(SshClientConnection connection, SftpClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        options ??= SftpClientOptions.Default;
        options.Validate();
        var settings = new SshChannelSettings { WindowSize = options.WindowSize, MaxPacketSize = SshChannelSettings.MaxMaxPacketSize };
        SshChannelStream stream = await connection.OpenSubsystemAsync("sftp", settings, cancellationToken).ConfigureAwait(false);

        // The session's reader only copies each reply out and hands it to its request: it never blocks.
        stream.InlineReadContinuations = true;
        SftpClient client = await StartAsync(stream, options, cancellationToken).ConfigureAwait(false);
        client._channel = stream;
        client._connection = connection;
        return client;
    }

    /// <summary>The longest a transfer waits for an extra session (<see cref="TryStartSiblingAsync"/>) before going on without it.</summary>
    internal static readonly TimeSpan SiblingStartTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Another session on this client's connection with the same options, for a transfer spread over
    /// channels (<see cref="SftpTransferOptions.UploadChannels"/>); null when this client runs over a
    /// plain stream, the server refuses one more session (sshd's <c>MaxSessions</c>), or it is not
    /// up within <see cref="SiblingStartTimeout"/> (or <see cref="SftpClientOptions.ReplyTimeout"/>
    /// when shorter) on <see cref="SftpClientOptions.Scheduler"/>: a server that leaves the request
    /// unanswered costs the transfer that wait, not the transfer.
    /// </summary>
    internal async Task<SftpClient?> TryStartSiblingAsync(CancellationToken cancellationToken)
    {
        if (_connection is not { } connection)
        {
            return null;
        }

        TimeSpan timeout = Options.ReplyTimeout > TimeSpan.Zero && Options.ReplyTimeout < SiblingStartTimeout ? Options.ReplyTimeout : SiblingStartTimeout;
        using var late = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using IDisposable timer = Options.Scheduler.Schedule(timeout, () =>
        {
            try
            {
                late.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Started (or failed) just as the timer fired.
            }
        });
        try
        {
            return await StartAsync(connection, Options, late.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SshException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Refused, or timed out (the caller's own cancellation still throws).
            return null;
        }
    }

    /// <summary>Starts a session over any duplex stream carrying SFTP (owned by the client from the call on).</summary>
    internal static async Task<SftpClient> StartAsync(Stream stream, SftpClientOptions options, CancellationToken cancellationToken)
    {
        var session = new SftpChannelSession(stream, options.MaxPacketLength, options.ReplyTimeout, options.Scheduler);
        try
        {
            SftpHello hello = await session.StartAsync(cancellationToken).ConfigureAwait(false);
            if (hello.Version < SftpHello.ProtocolVersion)
            {
                throw new SftpException(SftpStatusCode.OperationUnsupported, $"The SFTP server speaks version {hello.Version}; version 3 is needed.");
            }

            var client = new SftpClient(session, hello, options);
            await client.ApplyLimitsAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Whether the server announced the extension <paramref name="name"/> (see <see cref="SftpExtensionNames"/>).</summary>
    /// <param name="name">The extension name.</param>
    /// <returns>Whether it is offered.</returns>
    public bool Supports(string name) => _extensions.ContainsKey(name);

    /// <summary>Ends the session: closes the channel (the server closes open handles); requests in flight fail.</summary>
    /// <returns>Completes when the channel close was sent.</returns>
    public ValueTask DisposeAsync() => _session.DisposeAsync();

    private async Task ApplyLimitsAsync(CancellationToken cancellationToken)
    {
        int room = Options.MaxPacketLength - 1024;
        int read = 32 * 1024, write = 32 * 1024;
        if (Supports(SftpExtensionNames.Limits))
        {
            SftpLimits limits = await GetLimitsAsync(cancellationToken).ConfigureAwait(false);
            Limits = limits;
            if (limits.MaxPacketLength > 0)
            {
                _session.MaxSendLength = (int)Math.Min(limits.MaxPacketLength, int.MaxValue);
            }

            // Header room in a WRITE: type, id, handle (up to 256 bytes), offset, data length.
            long writeRoom = limits.MaxPacketLength > 0 ? (long)Math.Min(limits.MaxPacketLength, int.MaxValue) - 1024 : room;
            read = (int)Math.Min(limits.MaxReadLength > 0 ? limits.MaxReadLength : (ulong)room, (ulong)room);
            write = (int)Math.Min(limits.MaxWriteLength > 0 ? (long)Math.Min(limits.MaxWriteLength, int.MaxValue) : writeRoom, writeRoom);
        }

        ReadBlockSize = Options.BlockSize ?? Math.Max(read, SftpClientOptions.MinBlockSize);
        WriteBlockSize = Options.BlockSize ?? Math.Max(write, SftpClientOptions.MinBlockSize);
    }

    /// <summary>
    /// Grows the channel's receive window when <paramref name="depth"/> READ replies of
    /// <paramref name="blockSize"/> bytes (a transfer's own <see cref="SftpTransferOptions.MaxRequestsInFlight"/>)
    /// would not fit in it, so the window never caps the depth asked for (up to
    /// <see cref="SshChannelSettings.MaxWindowSize"/>; it never shrinks). The default depth fits the
    /// window already.
    /// </summary>
    /// <remarks>Each growth is logged (<see cref="SshLogEvents.Connection.WindowGrown"/>).</remarks>
    internal void EnsureReceiveWindow(int depth, int blockSize)
    {
        if (_channel is not { } channel)
        {
            return;
        }

        // A DATA reply: length, type, id, data length, then the data.
        long needed = Math.Min((long)depth * (blockSize + 13), SshChannelSettings.MaxWindowSize);
        if (needed > channel.WindowSize)
        {
            channel.GrowWindow((int)(needed - channel.WindowSize));
        }
    }

    /// <summary>Requests in flight for a transfer of <paramref name="blockSize"/> blocks.</summary>
    internal int RequestsInFlight(int blockSize) =>
        Options.MaxRequestsInFlight ?? Math.Max(Options.WindowSize / blockSize, (SftpClientOptions.MinBytesInFlight + blockSize - 1) / blockSize);

    internal SftpChannelSession Session => _session;

    private void Require(string extension)
    {
        if (!Supports(extension))
        {
            throw new SftpException(SftpStatusCode.OperationUnsupported, $"The SFTP server does not offer {extension}.");
        }
    }
}
