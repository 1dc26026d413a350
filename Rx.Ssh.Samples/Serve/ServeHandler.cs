using System.Diagnostics;
using System.Net;

namespace Rx.Ssh.Samples.Serve;

/// <summary>
/// serve's per-connection callbacks: authentication follows the options; this keeps what the
/// connection's log line needs (the user asked for and the keys refused, for a login that fails),
/// allows forwarding as sshd's <c>AllowTcpForwarding yes</c> does and logs each forward as it ends.
/// </summary>
internal sealed class ServeHandler(ServeLog log) : SshServerHandler
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<string> _refused = [];
    private SshServerConnection? _connection;
    private string? _user;
    private int _sessions;

    /// <summary>Counts a session for the connection's line.</summary>
    public void SessionStarted() => Interlocked.Increment(ref _sessions);

    public override ValueTask<bool> BeginAuthAsync(string userName, CancellationToken cancellationToken)
    {
        _user = userName;
        return base.BeginAuthAsync(userName, cancellationToken);
    }

    public override async ValueTask<bool> ValidatePublicKeyAsync(SshAuthContext context, SshPublicKey key, CancellationToken cancellationToken)
    {
        bool accepted = await base.ValidatePublicKeyAsync(context, key, cancellationToken);
        if (!accepted)
        {
            string refused = $"{key.KeyType} key {key.GetFingerprint()} not authorized";
            lock (_refused)
            {
                if (!_refused.Contains(refused))
                {
                    _refused.Add(refused);
                }
            }
        }

        return accepted;
    }

    public override void Authenticated(SshServerConnection connection)
    {
        _connection = connection;
        string who = Who(connection);
        connection.ForwardsEnded.Subscribe(forward => log.Forward(who, forward));
    }

    /// <summary>As sshd with <c>AllowTcpForwarding yes</c>: the server connects wherever the client asks (TCP and UNIX sockets; the key's options still apply).</summary>
    public override ValueTask<SshForwardDecision> DirectForwardRequestedAsync(SshDirectForwardRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(SshForwardDecision.Allow);

    /// <summary>As sshd with <c>AllowTcpForwarding yes</c> and <c>GatewayPorts no</c>: remote listeners on loopback (and UNIX sockets) only.</summary>
    public override ValueTask<bool> ListenRequestedAsync(SshListenRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(request.IsLoopbackOnly);

    public override void ConnectionLost(Exception? error)
    {
        string from = RemoteEndPoint?.ToString() ?? "?";
        string how = error is null ? "closed" : "ended: " + error.Message;
        if (_connection is { } c)
        {
            log.Connection($"{c.UserName}@{from}", c.RemoteVersion, Volatile.Read(ref _sessions), how, _clock.Elapsed);
            return;
        }

        string refused;
        lock (_refused)
        {
            refused = string.Join("; ", _refused);
        }

        log.Unauthenticated(from, _user, refused.Length == 0 ? how : refused + ", " + how, _clock.Elapsed);
    }

    /// <summary>"user@address:port" of a session's connection.</summary>
    public static string Who(SshServerConnection connection) =>
        $"{connection.UserName}@{(connection.RemoteEndPoint as IPEndPoint)?.ToString() ?? connection.RemoteEndPoint?.ToString() ?? "?"}";
}
