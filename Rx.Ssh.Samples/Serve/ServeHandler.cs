using System.Diagnostics;
using System.Net;

namespace Rx.Ssh.Samples.Serve;

/// <summary>serve's per-connection callbacks: authentication follows the options; this only keeps what the connection's log line needs.</summary>
internal sealed class ServeHandler(ServeLog log) : SshServerHandler
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private SshServerConnection? _connection;
    private int _sessions;

    /// <summary>Counts a session for the connection's line.</summary>
    public void SessionStarted() => Interlocked.Increment(ref _sessions);

    public override void Authenticated(SshServerConnection connection) => _connection = connection;

    public override void ConnectionLost(Exception? error)
    {
        string from = RemoteEndPoint?.ToString() ?? "?";
        string how = error is null ? "closed" : "ended: " + error.Message;
        log.Line(_connection is { } c
            ? $"connection {c.UserName}@{from} ({c.RemoteVersion}): {Volatile.Read(ref _sessions)} session(s), {how} after {ServeLog.Duration(_clock.Elapsed)}"
            : $"connection from {from}: not authenticated, {how} after {ServeLog.Duration(_clock.Elapsed)}");
    }

    /// <summary>"user@address:port" of a session's connection.</summary>
    public static string Who(SshServerConnection connection) =>
        $"{connection.UserName}@{(connection.RemoteEndPoint as IPEndPoint)?.ToString() ?? connection.RemoteEndPoint?.ToString() ?? "?"}";
}
