/// <summary>Work on threads of its own (not the thread pool), for the harness's blocking socket loops.</summary>
internal static class Dedicated
{
    /// <summary>Runs <paramref name="work"/> on a new background thread.</summary>
    public static void Start(Action work) => new Thread(() => work()) { IsBackground = true }.Start();

    /// <summary>Runs <paramref name="work"/> on a new thread; the task completes with its result.</summary>
    public static Task<T> Run<T>(Func<T> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
