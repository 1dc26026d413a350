using System.Net;
using Microsoft.Extensions.Logging;
using Rx.Ssh.Connection;
using Rx.Ssh.Messages.Connection;
using Rx.Ssh.Server;
using Rx.Ssh.Transport;
using Rx.Ssh.Trust;
using Rx.Ssh.Wire;

namespace Rx.Ssh;

/// <summary>
/// An authenticated connection accepted by <see cref="SshServer"/>. Session channels the client
/// opens are served by the connection's <see cref="SshServerHandler"/> (by default with
/// <see cref="SshServerOptions.ProcessHandler"/>). Dispose it to disconnect the client.
/// </summary>
public sealed class SshServerConnection : SshConnection
{
    private readonly object _sessionGate = new();
    private int _sessionsDeciding;
    private Task _sessionDecisions = Task.CompletedTask;

    internal SshServerConnection(SshTransport transport, string userName, EndPoint? remote, AuthorizedKeyOptions? keyOptions, SshServerOptions options, SshServerHandler handler)
        : base(transport, userName, remote)
    {
        KeyOptions = keyOptions;
        Options = options;
        Handler = handler;
        RegisterInlineChannelOpenHandler("session", OnSessionOpen);
        Forwarding = new Server.Forwarding.ServerForwarding(this, options);
        Forwarding.Register();
    }

    /// <summary>
    /// Every forwarded channel of this connection as it ends (direct ones the client opened,
    /// forwarded ones the server opened for a remote forward): what, who from, bytes each way and
    /// the error, if any. Hot: only forwards that end after subscribing are seen; completes once the
    /// connection has ended and its last forward has been reported. Disposing the subscription
    /// only stops delivery.
    /// </summary>
    public IObservable<SshForwardEnded> ForwardsEnded => Forwarding.Ended;

    internal Server.Forwarding.ServerForwarding Forwarding { get; }

    /// <summary>
    /// The authorized_keys options of the key the client logged in with (null for other methods):
    /// <c>command=</c> and <c>no-pty</c> are enforced on sessions, <c>environment=</c> too when <see cref="SshServerOptions.PermitUserEnvironment"/> is set;
    /// <c>no-port-forwarding</c>, <c>restrict</c>, <c>permitopen=</c> and <c>permitlisten=</c> on forwarding, before the application's policy is asked.
    /// </summary>
    public AuthorizedKeyOptions? KeyOptions { get; }

    /// <summary>
    /// The user certificate the client logged in with (null otherwise). Its <c>force-command</c> and
    /// <c>permit-pty</c> are enforced through <see cref="KeyOptions"/>, which merges them with the
    /// <c>cert-authority</c> line, and so is <c>permit-port-forwarding</c> (its absence forbids forwarding); its other extensions are there too.
    /// </summary>
    public SshCertificate? Certificate { get; internal init; }

    /// <summary>The connection's callbacks.</summary>
    public SshServerHandler Handler { get; }

    internal SshServerOptions Options { get; }

    /// <summary>Completes after the last queued <see cref="SshServerHandler.SessionRequested"/> call (final once the dispatch loop has ended).</summary>
    internal Task SessionDecisions => Volatile.Read(ref _sessionDecisions);

    /// <summary>
    /// The built-in <c>session</c> type. The dispatch loop only counts: past
    /// <see cref="SshServerOptions.MaxSessions"/> (open sessions plus those still being decided) the
    /// channel is refused at once, so the bound is exact. Otherwise it reserves a slot and queues the
    /// decision: <see cref="SshServerHandler.SessionRequested"/> runs on the thread pool, one call at
    /// a time in the order the channels were opened, so a slow handler holds back neither the other
    /// channels' data nor keepalive and global request replies.
    /// </summary>
    private void OnSessionOpen(SshPendingChannel pending)
    {
        // A session open carries nothing after the maximum packet size: trailing bytes are a protocol error.
        new SshReader(pending.ExtraData.Span).ReadEnd();

        lock (_sessionGate)
        {
            if (CountChannels("session") + _sessionsDeciding >= Options.MaxSessions)
            {
                pending.Reject(ChannelOpenFailureReason.ResourceShortage, $"At most {Options.MaxSessions} sessions may be open at once.");
                return;
            }

            _sessionsDeciding++;
        }

        // Only the dispatch loop extends the chain; each link runs on the thread pool after the previous one.
        _sessionDecisions = _sessionDecisions.ContinueWith(_ => DecideSession(pending), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>Asks the handler (off the dispatch loop), then accepts or refuses the channel and releases the reserved slot.</summary>
    private void DecideSession(SshPendingChannel pending)
    {
        SshServerSession? session;
        try
        {
            session = Handler.SessionRequested(this);
        }
        catch (Exception ex)
        {
            Loggers.Server.LogWarning(SshLogEvents.Server.SessionHandlerFailed, ex, "Session handler failed");
            session = null;
        }

        SshChannel channel;
        lock (_sessionGate)
        {
            // Accepting and releasing the slot under one lock: the dispatch loop never counts this session twice or not at all.
            _sessionsDeciding--;
            if (session is null)
            {
                pending.Reject(ChannelOpenFailureReason.AdministrativelyProhibited, "Sessions are not allowed.");
                return;
            }

            try
            {
                channel = pending.AcceptChannel();
            }
            catch (SshConnectionException)
            {
                return; // the connection ended while the handler decided
            }
        }

        var serverChannel = new SshServerChannel(this, channel);

        // The pump calls ConnectionMade first: on its own thread-pool task, so a slow one holds back only its own session.
        IO.TaskFaults.Observe(Task.Run(() => ServerSessionPump.RunAsync(serverChannel, session)));
    }
}
