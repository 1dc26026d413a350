using System.Reactive.Linq;

namespace Rx.Ssh;

/// <summary>Operations over many hosts at once, one result per host, a failing host never ending the others.</summary>
public static class SshHostExtensions
{
    /// <summary>
    /// How many hosts <see cref="Gather{T}"/> and <see cref="RunAll"/> work on at once unless told
    /// otherwise: 10 (a fleet of hundreds is not opened all at once, which would exhaust sockets, the
    /// network path and the servers' MaxStartups).
    /// </summary>
    public const int DefaultMaxConcurrency = 10;

    /// <summary>Pass as <c>maxConcurrency</c> to work on every host at once (no limit).</summary>
    public const int UnlimitedConcurrency = 0;

    /// <summary>
    /// Runs <paramref name="operation"/> on every host concurrently (at most
    /// <paramref name="maxConcurrency"/> at once, default <see cref="DefaultMaxConcurrency"/>;
    /// <see cref="UnlimitedConcurrency"/> (0) means all; the next host starts as one finishes) and emits one
    /// <see cref="SshHostResult{T}"/> per host as each finishes: the operation's last value, or the
    /// exception it failed with (an operation that completes without a value counts as failed with
    /// <see cref="InvalidOperationException"/>). Completes when every host has reported. Cold:
    /// subscribing starts every host's operation; disposing the subscription stops the ones still
    /// running (their channels close, their connections end). Results arrive in completion order;
    /// <see cref="SshHostResult{T}.Index"/> gives the host's place in the list.
    /// </summary>
    /// <typeparam name="T">The operation's result type.</typeparam>
    public static IObservable<SshHostResult<T>> Gather<T>(this IEnumerable<SshHost> hosts, Func<SshHost, IObservable<T>> operation, int maxConcurrency = DefaultMaxConcurrency)
    {
        ArgumentNullException.ThrowIfNull(hosts);
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentOutOfRangeException.ThrowIfNegative(maxConcurrency);
        return Observable.Defer(() =>
        {
            IObservable<IObservable<SshHostResult<T>>> perHost = hosts.ToArray().ToObservable().Select((host, index) =>
                Observable.Defer(() => operation(host))
                    .LastAsync()
                    .Select(value => new SshHostResult<T>(host, index, value, null))
                    .Catch((Exception error) => Observable.Return(new SshHostResult<T>(host, index, default, error))));
            return maxConcurrency == UnlimitedConcurrency ? perHost.Merge() : perHost.Merge(maxConcurrency);
        });
    }

    /// <summary>
    /// Runs <paramref name="command"/> on every host (each connects, runs and disconnects; see
    /// <see cref="SshHost.Run(string, SshProcessOptions?)"/>) and emits one result per host as it
    /// finishes, at most <paramref name="maxConcurrency"/> at once (default <see cref="DefaultMaxConcurrency"/>);
    /// see <see cref="Gather{T}"/>. Each result names its host (<see cref="SshHostResult{T}.Host"/>, <see cref="SshHostResult{T}.Index"/>).
    /// </summary>
    public static IObservable<SshHostResult<SshCompletedProcess>> RunAll(this IEnumerable<SshHost> hosts, string command, SshProcessOptions? options = null, int maxConcurrency = DefaultMaxConcurrency)
    {
        ArgumentNullException.ThrowIfNull(command);
        return hosts.Gather(host => host.Run(command, options), maxConcurrency);
    }
}
