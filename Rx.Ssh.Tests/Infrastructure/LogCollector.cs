using System.Reactive.Linq;
using System.Reactive.Subjects;
using System.Reactive.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// An <see cref="ILoggerFactory"/> that keeps every entry, at every level, with its event id and
/// the message template's values; as one line <c>CATEGORY LEVEL: MESSAGE</c> for
/// <see cref="WaitForLineAsync"/>, and as an observable for tests that await or count a library
/// event (<see cref="Observe"/>, <see cref="WaitForAsync"/>), so tests watch what the library
/// reports instead of hooks built into it for them.
/// </summary>
public sealed class LogCollector : ILoggerFactory
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<LogEntry> _entries = [];
    private readonly List<(string Text, TaskCompletionSource<string> Done)> _waiters = [];
    private readonly Subject<LogEntry> _logged = new();
    private readonly HashSet<int> _only;

    /// <summary>
    /// Keeps every entry, or with <paramref name="only"/> just the entries with those event ids
    /// (for tests that make the library log a great deal and measure its memory).
    /// </summary>
    public LogCollector(params EventId[] only)
    {
        _only = [.. only.Select(id => id.Id)];
    }

    /// <summary>The lines so far.</summary>
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

    /// <summary>Every entry so far.</summary>
    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>
    /// The entries with event id <paramref name="id"/>: those logged already (unless
    /// <paramref name="replay"/> is false), then each one as it is logged (on the logging thread),
    /// none lost between the two.
    /// </summary>
    public IObservable<LogEntry> Observe(EventId id, bool replay = true) => Observable.Create<LogEntry>(observer =>
    {
        // Under the gate, as Add is: no entry is replayed and delivered live both, or neither.
        lock (_gate)
        {
            foreach (LogEntry entry in replay ? _entries.Where(e => e.EventId == id) : [])
            {
                observer.OnNext(entry);
            }

            return _logged.Where(e => e.EventId == id).Subscribe(observer);
        }
    });

    /// <summary>Completes with the first entry with event id <paramref name="id"/> (and matching <paramref name="match"/>), already logged or still to come.</summary>
    public Task<LogEntry> WaitForAsync(EventId id, Func<LogEntry, bool>? match = null) =>
        Observe(id).Where(e => match?.Invoke(e) ?? true).FirstAsync().ToTask();

    /// <summary>Completes with the first line (already logged or still to come) that contains <paramref name="text"/>.</summary>
    /// <param name="text">Text the line must contain (ordinal).</param>
    public Task<string> WaitForLineAsync(string text)
    {
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_lines.Find(l => l.Contains(text, StringComparison.Ordinal)) is { } line)
            {
                done.SetResult(line);
            }
            else
            {
                _waiters.Add((text, done));
            }
        }

        return done.Task;
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc/>
    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("LogCollector keeps the entries itself.");

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    /// <inheritdoc/>
    public override string ToString() => string.Join('\n', Lines);

    private void Add(LogEntry entry)
    {
        string line = $"{entry.Category} {entry.Level}: {entry.Message}";
        lock (_gate)
        {
            _entries.Add(entry);
            _lines.Add(line);
            _waiters.RemoveAll(w => line.Contains(w.Text, StringComparison.Ordinal) && w.Done.TrySetResult(line));

            // Under the gate (it is reentrant, so a subscriber may log): one entry at a time, in order.
            _logged.OnNext(entry);
        }
    }

    private sealed class Logger(LogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (owner._only.Count > 0 && !owner._only.Contains(eventId.Id))
            {
                return;
            }

            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (KeyValuePair<string, object?> pair in pairs)
                {
                    values[pair.Key] = pair.Value;
                }
            }

            owner.Add(new LogEntry(category, logLevel, eventId, formatter(state, exception), values));
        }
    }
}

/// <summary>One log entry: where from, how severe, which event, the text and the template's values by name.</summary>
public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Values)
{
    /// <summary>The template value <paramref name="name"/> converted to <typeparamref name="T"/>.</summary>
    public T Value<T>(string name) => (T)Convert.ChangeType(Values[name], typeof(T), System.Globalization.CultureInfo.InvariantCulture)!;
}
