namespace Rx.Ssh.IO;

/// <summary>For tasks started and not awaited: their failure belongs to nobody, so mark it observed.</summary>
internal static class TaskFaults
{
    /// <summary>Observes <paramref name="task"/>'s exception, if any, so it is not reported as unobserved.</summary>
    public static void Observe(Task task) =>
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
