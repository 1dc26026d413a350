using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// Deadlines for tests. Convention: every await on something networked or concurrent is bounded,
/// either with <c>await task.WaitAsync(TestTimeout.Default)</c> or the <c>WithTimeout()</c>
/// shortcuts below, so a hang fails the test with a <see cref="TimeoutException"/> instead of
/// stalling the run. Never sleep to wait for something: await the thing itself.
/// </summary>
public static class TestTimeout
{
    /// <summary>The deadline for one networked step (connect, run a command, start sshd): 10 s.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(10);

    /// <summary>The deadline for slow one-off work (key generation, large transfers): 30 s.</summary>
    public static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    /// <summary>Awaits <paramref name="task"/> for at most <paramref name="timeout"/> (<see cref="Default"/> when null).</summary>
    /// <param name="task">The task.</param>
    /// <param name="timeout">The deadline.</param>
    public static Task WithTimeout(this Task task, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.WaitAsync(timeout ?? Default);
    }

    /// <summary>Awaits <paramref name="task"/> for at most <paramref name="timeout"/> (<see cref="Default"/> when null).</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="task">The task.</param>
    /// <param name="timeout">The deadline.</param>
    public static Task<T> WithTimeout<T>(this Task<T> task, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.WaitAsync(timeout ?? Default);
    }

    /// <summary>Awaits <paramref name="task"/> for at most <paramref name="timeout"/> (<see cref="Default"/> when null).</summary>
    /// <param name="task">The task.</param>
    /// <param name="timeout">The deadline.</param>
    public static Task WithTimeout(this ValueTask task, TimeSpan? timeout = null) =>
        task.AsTask().WaitAsync(timeout ?? Default);

    /// <summary>Awaits <paramref name="task"/> for at most <paramref name="timeout"/> (<see cref="Default"/> when null).</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="task">The task.</param>
    /// <param name="timeout">The deadline.</param>
    public static Task<T> WithTimeout<T>(this ValueTask<T> task, TimeSpan? timeout = null) =>
        task.AsTask().WaitAsync(timeout ?? Default);

    /// <summary>
    /// Subscribes to <paramref name="source"/> and awaits its last value for at most
    /// <paramref name="timeout"/>; on timeout the subscription is disposed (which stops a cold SSH
    /// operation) and a <see cref="TimeoutException"/> is thrown.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="source">A single-result or finite observable.</param>
    /// <param name="timeout">The deadline.</param>
    public static Task<T> WithTimeout<T>(this IObservable<T> source, TimeSpan? timeout = null) =>
        source.Timeout(timeout ?? Default).ToTask();

    /// <summary>A token source that cancels after <paramref name="timeout"/> (<see cref="Default"/> when null).</summary>
    /// <param name="timeout">The deadline.</param>
    public static CancellationTokenSource CreateCancellation(TimeSpan? timeout = null) => new(timeout ?? Default);
}
