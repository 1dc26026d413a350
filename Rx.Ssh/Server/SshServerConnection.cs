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
public sealed class SshServerConnection : SshConnection, IDisposable
{
    internal SshServerConnection(SshTransport transport, string userName, EndPoint? remote, AuthorizedKeyOptions? keyOptions, SshServerOptions options, SshServerHandler handler)
        : base(transport, userName, remote)
    {
        KeyOptions = keyOptions;
        Options = options;
        Handler = handler;
        RegisterInlineChannelOpenHandler("session", OnSessionOpen);
    }

    /// <summary>
    /// The authorized_keys options of the key the client logged in with (null for other methods):
    /// <c>command=</c> and <c>no-pty</c> are enforced on sessions, <c>environment=</c> too when <see cref="SshServerOptions.PermitUserEnvironment"/> is set.
    /// </summary>
    public AuthorizedKeyOptions? KeyOptions { get; }

    /// <summary>
    /// The user certificate the client logged in with (null otherwise). Its <c>force-command</c> and
    /// <c>permit-pty</c> are enforced through <see cref="KeyOptions"/>, which merges them with the
    /// <c>cert-authority</c> line; its other extensions (<c>permit-port-forwarding</c>...) are there too.
    /// </summary>
    public SshCertificate? Certificate { get; internal init; }

    /// <summary>The connection's callbacks.</summary>
    public SshServerHandler Handler { get; }

    internal SshServerOptions Options { get; }

    /// <summary>
    /// The built-in <c>session</c> type, decided on the dispatch loop so that
    /// <see cref="SshServerOptions.MaxSessions"/> counts exactly.
    /// </summary>
    private void OnSessionOpen(SshPendingChannel pending)
    {
        // A session open carries nothing after the maximum packet size: trailing bytes are a protocol error.
        new SshReader(pending.ExtraData.Span).ReadEnd();

        if (CountChannels("session") >= Options.MaxSessions)
        {
            pending.Reject(ChannelOpenFailureReason.ResourceShortage, $"At most {Options.MaxSessions} sessions may be open at once.");
            return;
        }

        SshServerSession? session;
        try
        {
            session = Handler.SessionRequested(this);
        }
        catch (Exception ex)
        {
            Transport.Logger.LogWarning(ex, "Session handler failed");
            session = null;
        }

        if (session is null)
        {
            pending.Reject(ChannelOpenFailureReason.AdministrativelyProhibited, "Sessions are not allowed.");
            return;
        }

        SshChannel channel = pending.AcceptChannel();
        var serverChannel = new SshServerChannel(this, channel);
        IO.TaskFaults.Observe(ServerSessionPump.RunAsync(serverChannel, session));
    }

    /// <summary>Disconnects without waiting; see <see cref="SshConnection.DisposeAsync"/>.</summary>
    public void Dispose() => IO.TaskFaults.Observe(DisposeAsync().AsTask());
}
