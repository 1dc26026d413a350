namespace Rx.Ssh.Sftp.Client;

/// <summary>Small helpers for fire-and-forget work.</summary>
internal static class SftpTasks
{
    /// <summary>Observes a task's fault so it is never unobserved, disposing a result it may carry.</summary>
    /// <param name="task">The task.</param>
    public static void Observe(Task<SftpReply> task) => task.ContinueWith(
        static t =>
        {
            if (t.IsCompletedSuccessfully)
            {
                t.Result.Dispose();
            }
            else
            {
                _ = t.Exception;
            }
        },
        CancellationToken.None,
        TaskContinuationOptions.ExecuteSynchronously,
        TaskScheduler.Default);

    /// <summary>Observes a task's fault so it is never unobserved.</summary>
    /// <param name="task">The task.</param>
    public static void Observe(Task task) => task.ContinueWith(
        static t => _ = t.Exception,
        CancellationToken.None,
        TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.OnlyOnFaulted,
        TaskScheduler.Default);
}
