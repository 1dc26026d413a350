using System.Net.Sockets;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Rx.Ssh.IO;

/// <summary>
/// The accept loop the SSH listeners share (<c>SshListener</c>, <c>SshReverseListener</c>): a failed
/// accept (too many open files, a connection aborted before it was taken, ...) is logged and
/// retried after a back-off on the scheduler (<see cref="MinBackoff"/>, doubling up to
/// <see cref="MaxBackoff"/>, reset by the next success), so a listener never stops on its own.
/// </summary>
internal static class AcceptLoop
{
    /// <summary>The first wait after a failed accept.</summary>
    public static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest wait between accept attempts while they keep failing.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Accepts and hands each socket to <paramref name="admit"/> (which must not throw) until
    /// <paramref name="stop"/> is cancelled, then returns.
    /// </summary>
    /// <exception cref="SshException">The listening socket was closed under the loop (logged as an error).</exception>
    public static async Task RunAsync(Func<CancellationToken, ValueTask<Socket>> accept, Action<Socket> admit, IScheduler scheduler, ILogger logger, CancellationToken stop)
    {
        TimeSpan backoff = TimeSpan.Zero;
        while (true)
        {
            Socket socket;
            try
            {
                socket = await accept(stop).ConfigureAwait(false);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException ex)
            {
                logger.LogError(SshLogEvents.Server.ListenerClosed, ex, "The listening socket was closed; no more connections are accepted");
                throw new SshException("Accepting connections failed: " + ex.Message, ex);
            }
            catch (Exception ex)
            {
                backoff = backoff == TimeSpan.Zero ? MinBackoff : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                logger.LogWarning(SshLogEvents.Server.AcceptFailed, ex, "Accepting a connection failed; trying again in {Delay} ms", backoff.TotalMilliseconds);
                try
                {
                    await Observable.Timer(backoff, scheduler).ToTask(stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            backoff = TimeSpan.Zero;
            admit(socket);
        }
    }
}
