using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>Waits, from the listener's log, until none of its connections is authenticating (for tests that count slots).</summary>
internal static class ListenerIdle
{
    /// <summary>
    /// Completes at once when <paramref name="listener"/> has no connection authenticating, else at
    /// the next <see cref="SshLogEvents.Server.AuthenticationEnded"/> entry that leaves none
    /// (<paramref name="logs"/> must be the listener's logger factory).
    /// </summary>
    public static Task WhenNoneAuthenticatingAsync(this LogCollector logs, SshListener listener)
    {
        // Subscribed before the count is read: a last connection that leaves in between is seen either way.
        Task none = logs.Observe(SshLogEvents.Server.AuthenticationEnded, replay: false)
            .FirstAsync(e => e.Value<int>("Unauthenticated") == 0)
            .ToTask();
        return listener.UnauthenticatedConnections == 0 ? Task.CompletedTask : none;
    }
}
