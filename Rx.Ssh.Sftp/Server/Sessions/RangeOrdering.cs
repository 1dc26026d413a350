namespace Rx.Ssh.Sftp.Server.Sessions;

/// <summary>
/// The ordering draft-ietf-secsh-filexfer-02 section 6.1 asks of one file: requests are
/// registered in arrival order; one waits only for earlier ones whose byte range overlaps its own
/// where at least one of the two writes. Non-overlapping reads and writes run in parallel; an
/// exclusive request (close, fstat, fsetstat, fsync, readdir) is a write over the whole file.
/// </summary>
internal sealed class RangeOrdering
{
    private readonly List<Entry> _inFlight = [];
    private readonly Lock _lock = new();

    /// <summary>Registers a request over [<paramref name="start"/>, <paramref name="end"/>).</summary>
    /// <param name="start">First byte.</param>
    /// <param name="end">One past the last byte.</param>
    /// <param name="writes">Whether it writes (or is exclusive).</param>
    /// <param name="entry">What to pass to <see cref="Complete"/>.</param>
    /// <returns>Completes when every earlier conflicting request is done.</returns>
    public Task Register(ulong start, ulong end, bool writes, out object entry)
    {
        var self = new Entry(start, Math.Max(end, start + 1), writes);
        List<Task>? waits = null;
        lock (_lock)
        {
            foreach (Entry other in _inFlight)
            {
                if ((writes || other.Writes) && other.Start < self.End && self.Start < other.End)
                {
                    (waits ??= []).Add(other.Done.Task);
                }
            }

            _inFlight.Add(self);
        }

        entry = self;
        return waits is null ? Task.CompletedTask : Task.WhenAll(waits);
    }

    /// <summary>Registers an exclusive request (after everything before it, before everything after it).</summary>
    public Task RegisterExclusive(out object entry) => Register(0, ulong.MaxValue, writes: true, out entry);

    /// <summary>Marks a registered request done.</summary>
    public void Complete(object entry)
    {
        var self = (Entry)entry;
        lock (_lock)
        {
            _inFlight.Remove(self);
        }

        self.Done.TrySetResult();
    }

    private sealed record Entry(ulong Start, ulong End, bool Writes)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
