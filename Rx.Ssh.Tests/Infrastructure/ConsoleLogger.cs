using Microsoft.Extensions.Logging;

namespace Rx.Ssh.Tests.Infrastructure;

/// <summary>A logger that writes to stderr with a prefix; for diagnosing a failing test locally.</summary>
public sealed class ConsoleLogger(string prefix) : ILogger
{
    /// <inheritdoc/>
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc/>
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc/>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Console.Error.WriteLine($"{prefix} {logLevel}: {formatter(state, exception)} {exception}");
    }
}
