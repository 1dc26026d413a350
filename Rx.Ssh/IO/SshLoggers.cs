using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Rx.Ssh.IO;

/// <summary>
/// One logger per layer (<see cref="SshLogCategories"/>) from the options: the factory's when one is
/// given, else the single <c>Logger</c> for every layer, else none.
/// </summary>
internal sealed class SshLoggers
{
    public static readonly SshLoggers None = new(null, null);

    public SshLoggers(ILoggerFactory? factory, ILogger? single)
    {
        ILogger For(string category) => factory?.CreateLogger(category) ?? single ?? NullLogger.Instance;
        Transport = For(SshLogCategories.Transport);
        Authentication = For(SshLogCategories.Authentication);
        Connection = For(SshLogCategories.Connection);
        Forwarding = For(SshLogCategories.Forwarding);
        Server = For(SshLogCategories.Server);
        Client = For(SshLogCategories.Client);
    }

    public ILogger Transport { get; }

    public ILogger Authentication { get; }

    public ILogger Connection { get; }

    public ILogger Forwarding { get; }

    public ILogger Server { get; }

    public ILogger Client { get; }
}
