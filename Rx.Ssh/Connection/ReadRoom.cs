namespace Rx.Ssh.Connection;

/// <summary>
/// The dispatch loop's wait for room in one bounded queue (undecided channel opens, pending global
/// requests, a channel's queued requests): <see cref="Close"/> when the bound is reached gives the task
/// the read gate awaits; <see cref="Open"/> when the queue is back under its bound hands back the
/// source to complete. Not thread-safe: the owner calls both under its own lock and completes the
/// returned source after leaving it (continuations run asynchronously either way).
/// </summary>
internal struct ReadRoom
{
    private TaskCompletionSource? _waiting;

    /// <summary>True while the dispatch loop may be waiting for <see cref="Open"/>.</summary>
    public readonly bool IsClosed => _waiting is not null;

    /// <summary>The task the dispatch loop waits on until <see cref="Open"/> (the same one for repeated calls).</summary>
    public Task Close() => (_waiting ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Ends the wait: returns the source to complete (outside the owner's lock), or null when nothing waits.</summary>
    public TaskCompletionSource? Open()
    {
        TaskCompletionSource? waiting = _waiting;
        _waiting = null;
        return waiting;
    }
}
