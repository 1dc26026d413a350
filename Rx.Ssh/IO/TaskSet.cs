namespace Rx.Ssh.IO;

/// <summary>
/// The tasks running now (a listener's connections in flight): each is tracked until it ends, so an
/// owner can report how many run and, when it stops, wait for those still running.
/// </summary>
internal sealed class TaskSet
{
    private readonly HashSet<Task> _tasks = [];

    /// <summary>The tasks not ended yet.</summary>
    public int Count
    {
        get
        {
            lock (_tasks)
            {
                return _tasks.Count;
            }
        }
    }

    /// <summary>Tracks <paramref name="task"/> until it ends.</summary>
    public void Track(Task task)
    {
        lock (_tasks)
        {
            _tasks.Add(task);
        }

        _ = task.ContinueWith(
            t =>
            {
                lock (_tasks)
                {
                    _tasks.Remove(t);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Completes when every task tracked now has ended (faults with their errors, as <see cref="Task.WhenAll(Task[])"/>).</summary>
    public Task WhenAll()
    {
        Task[] running;
        lock (_tasks)
        {
            running = [.. _tasks];
        }

        return Task.WhenAll(running);
    }
}
