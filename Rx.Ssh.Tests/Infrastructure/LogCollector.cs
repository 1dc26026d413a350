using Microsoft.Extensions.Logging;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>
/// An <see cref="ILoggerFactory"/> that keeps every entry, at every level, as one line
/// <c>CATEGORY LEVEL: MESSAGE</c>; a test awaits the line it expects with <see cref="WaitForLineAsync"/>.
/// </summary>
public sealed class LogCollector : ILoggerFactory
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly List<(string Category, LogLevel Level, EventId EventId, string Message)> _entries = [];
    private readonly List<(string Text, TaskCompletionSource<string> Done)> _waiters = [];

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

    /// <summary>Every entry so far with its category, level and event id.</summary>
    public IReadOnlyList<(string Category, LogLevel Level, EventId EventId, string Message)> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

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

    private void Add(string category, LogLevel level, EventId eventId, string message)
    {
        string line = $"{category} {level}: {message}";
        lock (_gate)
        {
            _entries.Add((category, level, eventId, message));
            _lines.Add(line);
            _waiters.RemoveAll(w => line.Contains(w.Text, StringComparison.Ordinal) && w.Done.TrySetResult(line));
        }
    }

    private sealed class Logger(LogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(category, logLevel, eventId, formatter(state, exception));
    }
}
