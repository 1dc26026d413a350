namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// The lines an sshd wrote to stderr, kept in order, with awaiting for a line that matches.
/// Thread-safe.
/// </summary>
public sealed class SshdLog
{
    private readonly object _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private bool _closed;

    /// <summary>A snapshot of the lines so far.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>All lines so far, newline-separated.</summary>
    public string Text => string.Join(Environment.NewLine, Lines);

    /// <summary>Whether any line so far contains <paramref name="fragment"/> (ordinal).</summary>
    /// <param name="fragment">The text to look for.</param>
    public bool Contains(string fragment) => Lines.Any(l => l.Contains(fragment, StringComparison.Ordinal));

    /// <summary>
    /// The first line (already logged or still to come) for which <paramref name="match"/> is true.
    /// Fails with <see cref="TimeoutException"/> after <paramref name="timeout"/>, or
    /// <see cref="InvalidOperationException"/> when sshd's stderr closes first.
    /// </summary>
    /// <param name="match">The line predicate.</param>
    /// <param name="timeout">The deadline; <see cref="TestTimeout.Default"/> when null.</param>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(match);
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            string? existing = _lines.FirstOrDefault(match);
            if (existing is not null)
            {
                return existing;
            }

            if (_closed)
            {
                throw new InvalidOperationException("sshd's log closed without a matching line:" + Environment.NewLine + string.Join(Environment.NewLine, _lines));
            }

            _waiters.Add((match, found));
        }

        try
        {
            return await found.Task.WaitAsync(timeout ?? TestTimeout.Default);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Found == found);
            }

            throw new TimeoutException("No matching sshd log line within " + (timeout ?? TestTimeout.Default) + ":" + Environment.NewLine + Text);
        }
    }

    /// <summary>As <see cref="WaitForLineAsync(Func{string, bool}, TimeSpan?)"/> for a line containing <paramref name="fragment"/>.</summary>
    /// <param name="fragment">The text to look for (ordinal).</param>
    /// <param name="timeout">The deadline; <see cref="TestTimeout.Default"/> when null.</param>
    public Task<string> WaitForLineAsync(string fragment, TimeSpan? timeout = null) =>
        WaitForLineAsync(l => l.Contains(fragment, StringComparison.Ordinal), timeout);

    /// <summary>Records a line and wakes its waiters.</summary>
    internal void Add(string line)
    {
        List<TaskCompletionSource<string>> wake = [];
        lock (_gate)
        {
            _lines.Add(line);
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                _waiters.Remove(waiter);
                wake.Add(waiter.Found);
            }
        }

        foreach (TaskCompletionSource<string> found in wake)
        {
            found.TrySetResult(line);
        }
    }

    /// <summary>Marks the end of sshd's stderr; pending waiters fail.</summary>
    internal void Close()
    {
        List<TaskCompletionSource<string>> waiting;
        lock (_gate)
        {
            _closed = true;
            waiting = [.. _waiters.Select(w => w.Found)];
            _waiters.Clear();
        }

        foreach (TaskCompletionSource<string> found in waiting)
        {
            found.TrySetException(new InvalidOperationException("sshd's log closed without a matching line:" + Environment.NewLine + Text));
        }
    }
}
